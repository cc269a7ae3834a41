// Vega-Lite spec → static SVG, at build time in Node (no canvas package needed).
// vega and vega-lite are most of what headroom loads (about a second of start-up): they are
// imported on the first chart, so whatever merely imports this module does not pay for them.
import type * as Vega from 'vega';
import type * as VegaLite from 'vega-lite';

let libraries: Promise<[typeof Vega, typeof VegaLite]> | undefined;

/** Compiles and renders a Vega-Lite spec to an SVG string; ids are prefixed so several SVGs can share a page. */
export async function specToSvg(spec: object, idPrefix: string): Promise<string> {
  const [vega, vl] = await (libraries ??= Promise.all([import('vega'), import('vega-lite')]));
  const compiled = vl.compile(spec as VegaLite.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Warn });
  try {
    const svg = await view.toSVG();
    return prefixIds(svg, idPrefix);
  } finally {
    view.finalize();
  }
}

/** Vega numbers its clip paths / gradients clip1, clip2… per process: make them unique per chart. */
export function prefixIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, (_m, id: string) => `id="${prefix}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${prefix}-${id})`)
    .replace(/(xlink:)?href="#([^"]+)"/g, (_m, x: string | undefined, id: string) => `${x ?? ''}href="#${prefix}-${id}"`);
}
