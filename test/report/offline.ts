// A precise scan of a report for anything that would load from outside the file.
// Markup: every tag's URL-bearing attributes may only point at "#…" or "data:"; absolute URLs inside
// tags may only be xmlns namespace identifiers; CSS may not url()/@import anything but "#"/data:.
// Scripts: no fetch/XHR/import/worker/beacon/socket call to a literal remote URL, and the only absolute
// URLs in inlined code are identifiers the libraries never load (namespaces, schema ids, doc links).

const URL_ATTRS = /^(src|href|xlink:href|action|formaction|poster|srcset|data|background|ping|manifest|cite|longdesc|codebase|archive|lowsrc|icon|profile|usemap)$/i;
/** Attributes whose values are text for people (they may mention URLs without loading them). */
const TEXT_ATTRS = /^(aria-label|aria-description|title|alt)$/i;
const ATTR = /\s([^\s=/>"']+)(?:\s*=\s*("([^"]*)"|'([^']*)'|([^\s>"']+)))?/g;
const FORBIDDEN_TAGS = /<(link|iframe|img|object|embed|base|frame|frameset|video|audio|source|track|portal|applet)\b/i;
const LOADS = /\b(fetch|XMLHttpRequest|importScripts|import|Worker|SharedWorker|sendBeacon|WebSocket|EventSource|open)\s*\(\s*(['"`]\w+['"`]\s*,\s*)?(['"`])(https?:|\/\/)/;
const KNOWN_URLS = [
  /^http:\/\/www\.w3\.org\/(2000\/svg|1999\/xlink|2000\/xmlns\/|XML\/1998\/namespace|1999\/xhtml)$/,
  /^https:\/\/vega\.github\.io\/schema\/vega(-lite)?\/v\d+(\.\d+)*\.json$/,
  /^https:\/\/vega\.github\.io\/editor\/?$/,
  /^https:\/\/github\.com\/vega\/vega-lite\/issues\/\d+$/,
  /^https:\/\/github\.com\/Starcounter-Jack\/JSON-Patch$/,
];

export function findExternalLoads(html: string): string[] {
  const problems: string[] = [];
  const scripts: Array<{ attrs: string; body: string }> = [];
  const markup = html.replace(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi, (_m, attrs: string, body: string) => {
    scripts.push({ attrs, body });
    return '<script></script>';
  });
  // markup: tags only (text content is escaped, so "<" always starts a tag)
  for (const tag of markup.match(/<[a-zA-Z!?][^>]*>/g) ?? []) {
    if (FORBIDDEN_TAGS.test(tag)) problems.push(`element that loads a resource: ${tag.slice(0, 120)}`);
    if (/http-equiv\s*=\s*["']?refresh/i.test(tag)) problems.push(`meta refresh: ${tag.slice(0, 120)}`);
    const tagName = /^<([a-zA-Z][\w:-]*)/.exec(tag)?.[1] ?? '';
    for (const m of tag.slice(tagName.length + 1).matchAll(ATTR)) {
      const name = m[1]!;
      const value = (m[3] ?? m[4] ?? m[5] ?? '').trim();
      if (/^on/i.test(name)) problems.push(`event handler attribute ${name} in ${tag.slice(0, 120)}`);
      if (URL_ATTRS.test(name) && !(value.startsWith('#') || value.startsWith('data:'))) problems.push(`${name}="${value}" in ${tag.slice(0, 120)}`);
      if (/^xmlns(:[\w-]+)?$/i.test(name) || TEXT_ATTRS.test(name)) continue;
      const abs = value.match(/(https?:)?\/\/[^\s"'<>)]+/g);
      if (abs) problems.push(`absolute URL in ${name}: ${abs.join(', ')} in ${tag.slice(0, 120)}`);
      for (const u of value.matchAll(/url\(\s*(?:['"]|&quot;|&#39;)?([^'")\s&]*)/gi)) {
        if (!(u[1]!.startsWith('#') || u[1]!.startsWith('data:'))) problems.push(`url(${u[1]}) in ${tag.slice(0, 120)}`);
      }
    }
  }
  // CSS
  for (const m of markup.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)) {
    const css = m[1]!;
    if (/@import/i.test(css)) problems.push('@import in a style sheet');
    for (const u of css.matchAll(/url\(\s*['"]?([^'")\s]*)/gi)) {
      if (!(u[1]!.startsWith('#') || u[1]!.startsWith('data:'))) problems.push(`url(${u[1]}) in a style sheet`);
    }
  }
  // scripts
  for (const s of scripts) {
    if (/\bsrc\s*=/i.test(s.attrs)) problems.push(`<script${s.attrs}> loads a file`);
    const call = LOADS.exec(s.body);
    if (call) problems.push(`script loads a remote URL: …${s.body.slice(Math.max(0, call.index - 20), call.index + 60)}…`);
    for (const u of s.body.match(/https?:\/\/[^\s"'`<>)\\]+/g) ?? []) {
      if (!KNOWN_URLS.some((k) => k.test(u))) problems.push(`unexpected URL in a script: ${u}`);
    }
    if (/sourceMappingURL/.test(s.body)) problems.push('source map reference in a script');
  }
  return problems;
}

/** Keys named "url" anywhere in a value (a Vega data source with a url would be fetched). */
export function urlKeys(v: unknown, path = '$'): string[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => urlKeys(x, `${path}[${i}]`));
  if (v && typeof v === 'object') {
    return Object.entries(v).flatMap(([k, x]) => (k === 'url' ? [`${path}.url`] : urlKeys(x, `${path}.${k}`)));
  }
  return [];
}

export function specBlocks(html: string): unknown[] {
  return [...html.matchAll(/<script type="application\/json" id="spec-[a-z0-9-]+">([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1]!));
}

/** Every string anywhere in a value. */
export function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v && typeof v === 'object') return Object.values(v).flatMap(strings);
  return [];
}
