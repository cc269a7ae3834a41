// The upstream processes run one bundled JavaScript file under plain node rather than through
// tsx: tsx costs ~0.45 s of CPU per process start against ~0.1 s for plain node (measured here
// with /usr/bin/time), which matters when a stack starts several instances, or adds them while it
// runs. esbuild (already tsx's own compiler) bundles the entry and what it imports once per run.
import { buildSync } from 'esbuild';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('./upstream/main.ts', import.meta.url));

/** Writes the upstream program to `outfile` (an .mjs file). */
export function bundleUpstream(outfile: string): string {
  buildSync({
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'error',
    // seedrandom is CommonJS and requires 'crypto': give the ESM bundle a require of its own.
    banner: { js: "import { createRequire as __hrRequire } from 'node:module'; const require = __hrRequire(import.meta.url);" },
  });
  return outfile;
}
