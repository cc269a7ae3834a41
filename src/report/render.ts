// Vega-Lite spec → static SVG, at build time in Node (no canvas package needed).
import * as vega from 'vega';
import * as vl from 'vega-lite';

/** Compiles and renders a Vega-Lite spec to an SVG string; ids are prefixed so several SVGs can share a page. */
export async function specToSvg(spec: object, idPrefix: string): Promise<string> {
  const compiled = vl.compile(spec as vl.TopLevelSpec).spec;
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
