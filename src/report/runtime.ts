// The vega / vega-lite / vega-embed browser builds, read from node_modules and inlined into each page.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface VendoredScript {
  name: string;
  version: string;
  code: string;
}

const FILES: Array<[pkg: string, min: string]> = [
  ['vega', 'vega.min.js'],
  ['vega-lite', 'vega-lite.min.js'],
  ['vega-embed', 'vega-embed.min.js'],
];

let cache: VendoredScript[] | null = null;

/** The three UMD builds, in load order (vega-embed expects the globals `vega` and `vegaLite`). */
export function vendoredScripts(): VendoredScript[] {
  if (cache) return cache;
  cache = FILES.map(([pkg, min]) => {
    // Each package's main entry lives in its build/ directory, next to the minified UMD bundle.
    const entry = fileURLToPath(import.meta.resolve(pkg));
    const buildDir = dirname(entry);
    const file = join(buildDir, min);
    let code: string;
    try {
      code = readFileSync(file, 'utf8');
    } catch (e) {
      throw new Error(`cannot read ${file} to inline it into the report: ${(e as Error).message}`);
    }
    const pkgJson = JSON.parse(readFileSync(join(buildDir, '..', 'package.json'), 'utf8')) as { version: string };
    return { name: pkg, version: pkgJson.version, code: scriptSafe(code) };
  });
  return cache;
}

/** Makes JS text safe inside <script>…</script>: no "</script" or "<!--" may appear literally. */
export function scriptSafe(code: string): string {
  // Both sequences can only occur inside string/regex/template literals in valid JS, where "<\/" and
  // "<\!--" mean the same characters.
  return code
    .replace(/<\/(script)/gi, '<\\/$1')
    .replace(/<!--/g, '<\\!--')
    .replace(/\/\/# sourceMappingURL=\S+/g, ''); // a source map comment would make dev tools fetch a file
}
