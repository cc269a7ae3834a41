// The page shell shared by the run report and the comparison: CSS (light/dark/print), the chart
// figure markup, the inlined runtimes and the boot script that swaps static SVGs for live views.
import { esc, jsonForScript } from './format.ts';
import { specToSvg } from './render.ts';
import { vendoredScripts } from './runtime.ts';

type Obj = Record<string, unknown>;

export interface ChartDef {
  /** Unique on the page: [a-z0-9-]. */
  id: string;
  title: string;
  /** Plain-text caption (escaped on output). */
  caption: string;
  /** Plain-text description for screen readers (what the chart shows, in words). */
  alt: string;
  build: (interactive: boolean) => Obj;
}

export interface RenderedChart {
  figure: string;
  json: string;
}

export async function renderChart(c: ChartDef): Promise<RenderedChart> {
  if (!/^[a-z0-9-]+$/.test(c.id)) throw new Error(`bad chart id ${c.id}`);
  const svg = await specToSvg(c.build(false), c.id);
  const figure = `<figure class="chart" id="fig-${c.id}" data-spec="spec-${c.id}" aria-labelledby="h-${c.id}">
<figcaption><h3 id="h-${c.id}">${esc(c.title)}</h3>${c.caption ? `<p>${esc(c.caption)}</p>` : ''}</figcaption>
<div class="plot"><div class="static" role="img" aria-label="${esc(c.alt)}">${svg}</div></div>
<p class="hint">Hover for values · scroll to zoom · drag to pan · double-click to reset</p>
</figure>`;
  const json = `<script type="application/json" id="spec-${c.id}">${jsonForScript(c.build(true))}</script>`;
  return { figure, json };
}

export const CSS = `
:root{color-scheme:light dark;--bg:#ffffff;--fg:#1b2230;--muted:#5a6475;--line:#dde1e8;--panel:#f5f6f8;
--pass:#005f95;--pass-bg:#e3f0f8;--fail:#b34700;--fail-bg:#fcebdf;--accent:#0072B2;
--font:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
--mono:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace}
@media (prefers-color-scheme:dark){:root{--bg:#15181d;--fg:#e4e7ec;--muted:#a0a8b6;--line:#2d333d;--panel:#1c2027;
--pass:#7cc4ef;--pass-bg:#12303f;--fail:#ff9a5c;--fail-bg:#3d2314;--accent:#56B4E9}}
*{box-sizing:border-box}
html{background:var(--bg);color:var(--fg)}
body{margin:0 auto;max-width:920px;padding:28px 24px 56px;font:15px/1.5 var(--font);font-variant-numeric:tabular-nums}
h1{font-size:26px;line-height:1.2;margin:2px 0 6px;letter-spacing:-.01em}
h2{font-size:19px;margin:36px 0 10px;padding-top:10px;border-top:1px solid var(--line)}
h3{font-size:15px;margin:0}
p{margin:6px 0}
.eyebrow{text-transform:uppercase;letter-spacing:.08em;font-size:12px;color:var(--muted);margin:0}
.desc{font-size:16px;margin:4px 0 8px}
.meta{color:var(--muted);font-size:13px}
.muted{color:var(--muted)}
.verdict{margin:20px 0 8px;padding:16px 18px;border-radius:10px;border:1px solid var(--line);background:var(--panel)}
.verdict.fail{border-color:var(--fail);background:var(--fail-bg)}
.verdict.pass{border-color:var(--pass);background:var(--pass-bg)}
.verdict-head{display:flex;align-items:center;gap:12px;font-size:19px;font-weight:650;margin-bottom:8px}
.badge{display:inline-block;padding:2px 9px;border-radius:999px;font-size:12.5px;font-weight:700;letter-spacing:.04em;white-space:nowrap;border:1.5px solid currentColor}
.badge.pass{color:var(--pass)}
.badge.fail{color:var(--fail)}
.verdict table{background:transparent}
.verdict td,.verdict th{border-bottom-color:rgba(127,127,127,.25)}
.figures{display:grid;grid-template-columns:repeat(3,1fr);gap:10px;margin:14px 0 4px}
.card{border:1px solid var(--line);border-radius:10px;padding:10px 14px;background:var(--bg)}
.card .k{font-size:12px;text-transform:uppercase;letter-spacing:.06em;color:var(--muted)}
.card .v{font-size:22px;font-weight:650;line-height:1.25;margin-top:2px}
.card .s{font-size:13px;color:var(--muted)}
.card ul{list-style:none;margin:4px 0 0;padding:0;font-size:14px}
.card li{display:flex;justify-content:space-between;gap:8px}
.card li b{font-weight:650}
nav.toc{font-size:13px;color:var(--muted);margin:18px 0 0}
nav.toc a{color:var(--accent);text-decoration:none;margin-right:12px;white-space:nowrap}
figure.chart{margin:18px 0 6px;padding:0}
figure.chart figcaption p{font-size:13px;color:var(--muted);margin:2px 0 4px}
.plot{color:var(--fg);overflow-x:auto;overflow-y:hidden}
.plot .static svg{display:block;max-width:100%;height:auto}
.plot .live[hidden]{display:none!important}
.plot .vega-embed{display:block}
.hint{display:none;font-size:12px;color:var(--muted);margin:0}
figure.is-live .hint{display:block}
table{border-collapse:collapse;width:100%;font-size:13.5px}
th,td{padding:5px 8px;text-align:left;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:650;font-size:12.5px;color:var(--muted);border-bottom-width:2px}
td.num,th.num{text-align:right;white-space:nowrap}
tbody tr:hover{background:var(--panel)}
.wide{overflow-x:auto}
.components td:first-child{font-weight:600;word-break:break-word}
.reasons{margin:0;padding-left:16px}
.better{color:var(--pass);font-weight:650}
.worse{color:var(--fail)}
.star{color:var(--pass)}
details{margin:28px 0 0;border:1px solid var(--line);border-radius:10px;padding:8px 14px;background:var(--panel)}
summary{cursor:pointer;font-weight:650}
pre{font:12.5px/1.45 var(--mono);overflow-x:auto;white-space:pre;margin:10px 0 4px}
footer{margin-top:32px;font-size:12px;color:var(--muted)}
a{color:var(--accent)}
.sub{font-size:12px;color:var(--muted);font-weight:400;line-height:1.35;white-space:normal}
.small{font-size:12.5px}
.plot .role-mark text{paint-order:stroke;stroke:var(--bg);stroke-width:4px;stroke-linejoin:round}
@media (max-width:640px){.figures{grid-template-columns:1fr 1fr}}
#vg-tooltip-element{font:12px var(--font)!important}
@media print{
:root{--bg:#fff;--fg:#000;--muted:#444;--line:#bbb;--panel:#fff;--pass:#004f80;--fail:#a33f00;--pass-bg:#fff;--fail-bg:#fff}
html,body{background:#fff;color:#000}
body{max-width:none;padding:0;font-size:10.5pt}
.hint,nav.toc{display:none!important}
figure.chart,table,tr,.verdict,.card{break-inside:avoid}
h2,h3{break-after:avoid}
.plot{overflow:visible}
.plot svg{max-width:100%;height:auto}
.wide{overflow:visible}
*{print-color-adjust:exact;-webkit-print-color-adjust:exact}
}
`;

/** Runs in the page: swaps each static SVG for a live vega view; keeps the SVG if anything fails. */
export const BOOT = `(function () {
  'use strict';
  document.documentElement.className += ' js';
  window.addEventListener('beforeprint', function () {
    Array.prototype.forEach.call(document.querySelectorAll('details:not([open])'), function (d) { d.setAttribute('open', ''); d.setAttribute('data-print-opened', ''); });
  });
  window.addEventListener('afterprint', function () {
    Array.prototype.forEach.call(document.querySelectorAll('details[data-print-opened]'), function (d) { d.removeAttribute('open'); d.removeAttribute('data-print-opened'); });
  });
  if (typeof window.vegaEmbed !== 'function') return;
  var dark = !!(window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches);
  var figs = document.querySelectorAll('figure.chart[data-spec]');
  Array.prototype.forEach.call(figs, function (fig) {
    var holder = document.getElementById(fig.getAttribute('data-spec'));
    var plot = fig.querySelector('.plot');
    if (!holder || !plot) return;
    var spec;
    try { spec = JSON.parse(holder.textContent); } catch (e) { console.error('headroom report: bad chart spec', e); return; }
    var still = plot.querySelector('.static');
    var live = document.createElement('div');
    live.className = 'live';
    live.hidden = true;
    plot.appendChild(live);
    window.vegaEmbed(live, spec, { mode: 'vega-lite', renderer: 'svg', actions: false, tooltip: { theme: dark ? 'dark' : 'light' } })
      .then(function () {
        live.hidden = false;
        if (still) still.parentNode.removeChild(still);
        fig.classList.add('is-live');
      })
      .catch(function (err) {
        if (live.parentNode) live.parentNode.removeChild(live);
        console.error('headroom report: live chart failed, keeping the static one:', err);
      });
  });
})();`;

/** The Content-Security-Policy of every page: nothing may be fetched from anywhere. */
export const CSP = "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:; font-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'";

export function page(o: { title: string; body: string; charts: RenderedChart[]; generator: string }): string {
  const scripts = vendoredScripts()
    .map((s) => `<script data-lib="${esc(s.name)}" data-version="${esc(s.version)}">${s.code}</script>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta http-equiv="Content-Security-Policy" content="${esc(CSP)}">
<meta name="generator" content="${esc(o.generator)}">
<title>${esc(o.title)}</title>
<style>${CSS}</style>
</head>
<body>
${o.body}
${o.charts.map((c) => c.json).join('\n')}
${scripts}
<script>${BOOT}</script>
</body>
</html>
`;
}
