// Loader hooks for module-trace.mjs (they run on node's hooks thread).
import { appendFileSync } from 'node:fs';

/** @type {string} */
let out;
/** @param {{ out: string }} data */
export function initialize(data) {
  out = data.out;
}

/** @type {import('node:module').LoadHook} */
export async function load(url, context, nextLoad) {
  if (url.startsWith('file:')) appendFileSync(out, url + '\n');
  return nextLoad(url, context);
}
