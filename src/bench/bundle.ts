// The upstream processes run one bundled JavaScript file under plain node rather than through
// tsx: tsx costs ~0.45 s of CPU per process start against ~0.1 s for plain node (measured here
// with /usr/bin/time), which matters when a stack starts several instances, or adds them while it
// runs. esbuild (already tsx's own compiler) bundles the entry and what it imports once per run.
import { buildSync } from 'esbuild';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * src/bench/upstream/main.ts, found from the project root: this module runs from src/ (tests,
 * tsx) and from the CLI's bundle in dist/ (scripts/build.js), where a path relative to
 * import.meta.url would point into dist/.
 */
function upstreamEntry(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'src/bench/upstream/main.ts');
    if (dirname(dir) === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
  }
}

/** Writes the upstream program to `outfile` (an .mjs file). */
export function bundleUpstream(outfile: string): string {
  buildSync({
    entryPoints: [upstreamEntry()],
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
