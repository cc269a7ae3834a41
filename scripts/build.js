#!/usr/bin/env node
// Builds dist/ from src/: what bin/headroom.js runs. `npm ci` runs it (the `prepare` script), so
// do `npm run build` and `npm test` (before tap starts test files in parallel), and bin/headroom.js
// itself when a source changed since the last build: no command or test ever runs a stale build.
//
// Why a bundle: start-up is paid on every call and `decide` runs in loops. Transpiling with tsx at
// each start cost 1.5 s of CPU for `--help`; this bundle costs about 0.2 s (figures and commands
// in README.md). esbuild bundles the dependencies too (resolving a few hundred files in
// node_modules at each start costs about 0.1 s) and splits at every `await import()`, so a
// command loads only its own chunks: vega, vega-lite and the simulator stay on disk for
// `--help` and `decide` (test/cli/startup.test.ts checks it).
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { staleReason, STAMP, DIST } from './dist-stamp.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Entry points, name → source: each becomes dist/<name>.js. The CLI is bundled from main.ts, so a
 * new command comes in by itself. A worker thread's file is one more line; every output lands flat
 * in dist/, so code anywhere in the bundle finds it at `new URL('./<name>.js', import.meta.url)`
 * (src/sweep/pool.ts finds worker.js that way).
 */
export const ENTRIES = {
  cli: 'src/cli/main.ts',
  worker: 'src/sweep/worker.ts',
};

/** Dependencies loaded from node_modules instead of bundled: they run files of their own package (esbuild its binary, piscina its worker). */
const EXTERNAL = ['esbuild', 'piscina'];

/**
 * Once bundled, code that finds files next to itself (import.meta.url, __dirname, require.resolve…)
 * finds dist/ instead. Every module that does is listed here with why it still works; a new one
 * fails the build until someone checks it (or makes its package EXTERNAL). Keys are path prefixes.
 */
const LOCATION_CHECKED = {
  'node_modules/yargs/': 'package.json and locale lookup: main.ts gives the version and the locale',
  'node_modules/yargs-parser/': 'createRequire for config files given by absolute path (headroom has none)',
  'src/report/runtime.ts': 'import.meta.resolve of the vega packages: node_modules is above dist/ as above src/',
  'src/bench/bundle.ts': 'walks up to package.json for the project root',
  'src/bench/driver/engine.ts': 'createRequire for autocannon: node_modules is above dist/ as above src/',
  'src/sweep/pool.ts': 'worker.js beside this code: ENTRIES.worker',
};
const LOCATION = /\b__dirname\b|\b__filename\b|\brequire\.resolve\b|\bimport\.meta\.(url|resolve|dirname|filename)\b/;

/**
 * A bundle input as LOCATION_CHECKED names it: from node_modules/ on for a dependency (esbuild
 * names a symlinked node_modules by its real path), else relative to the project.
 * @param {string} p
 */
const inputName = (p) => (p.includes('node_modules/') ? p.slice(p.lastIndexOf('node_modules/')) : p);

/**
 * @param {string[]} inputs the bundle's input files, relative to the project
 * @returns {string[]} those that use their own location and are not in LOCATION_CHECKED
 */
function uncheckedLocationUses(inputs) {
  return inputs.filter((p) => !p.endsWith('.json') && !Object.keys(LOCATION_CHECKED).some((k) => inputName(p).startsWith(k))
    && LOCATION.test(readFileSync(join(ROOT, p), 'utf8'))).map(inputName);
}

/** Files besides the bundled sources whose change makes dist/ stale: this script, and the lock file for the bundled dependencies. */
const ALSO_STAMPED = ['scripts/build.js', 'package-lock.json'];

const LOCK = join(ROOT, `${DIST}.lock`);
const LOCK_STALE_MS = 120_000;

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * One build at a time (tap's test files, or two terminals, may ask at once): a lock directory,
 * taken over when older than 2 min.
 * @template T
 * @param {() => Promise<T>} fn
 * @returns {Promise<T>}
 */
async function withLock(fn) {
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (e) {
      if (/** @type {NodeJS.ErrnoException} */ (e).code !== 'EEXIST') throw e;
      const age = Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > LOCK_STALE_MS) rmSync(LOCK, { recursive: true, force: true });
      else await sleep(100);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** @param {string} rel a path relative to the project */
function fileStamp(rel) {
  const data = readFileSync(join(ROOT, rel));
  const st = statSync(join(ROOT, rel));
  return { size: st.size, mtimeMs: st.mtimeMs, sha256: createHash('sha256').update(data).digest('hex') };
}

/**
 * Builds dist/ unless it is up to date (or `force`); returns why it built, or null.
 * @param {{ force?: boolean, quiet?: boolean }} [options] quiet: esbuild prints nothing (the caller reports a failure)
 * @returns {Promise<string | null>}
 */
export async function build({ force = false, quiet = false } = {}) {
  return withLock(async () => {
    const reason = force ? 'forced' : staleReason(ROOT);
    if (!reason) return null; // another process built it while we waited for the lock
    let esbuild;
    try {
      esbuild = await import('esbuild');
    } catch {
      throw new Error(`cannot build ${DIST}/ (${reason}): esbuild is not installed; run \`npm ci\``);
    }
    const dist = join(ROOT, DIST);
    const result = await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: ENTRIES,
      outdir: DIST,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      chunkNames: '[name]-[hash]',
      external: EXTERNAL,
      sourcemap: 'linked', // read only when HEADROOM_DEBUG asks for stack traces (bin/headroom.js)
      metafile: true,
      write: false,
      logLevel: quiet ? 'silent' : 'warning',
      // Bundled CommonJS dependencies call require() for node's built-in modules.
      banner: { js: "import { createRequire as __headroomRequire } from 'node:module'; const require = __headroomRequire(import.meta.url);" },
    });
    const unchecked = uncheckedLocationUses(Object.keys(result.metafile.inputs));
    if (unchecked.length > 0) {
      throw new Error(`these modules use their own file location, which is dist/ once bundled: ${unchecked.join(', ')}; check each and list it in LOCATION_CHECKED in scripts/build.js, or make its package EXTERNAL there`);
    }
    // The stamp goes first (a reader now sees dist/ as stale and waits for this lock) and comes back
    // last; each file is written under a temporary name and renamed into place.
    rmSync(join(dist, STAMP), { force: true });
    mkdirSync(dist, { recursive: true });
    const written = new Set([STAMP]);
    const entryFiles = new Set(Object.keys(ENTRIES).map((n) => `${n}.js`));
    const files = [...result.outputFiles].sort((a, b) => Number(entryFiles.has(relative(dist, a.path))) - Number(entryFiles.has(relative(dist, b.path))));
    for (const f of files) {
      const tmp = `${f.path}.${process.pid}.tmp`;
      writeFileSync(tmp, f.contents);
      renameSync(tmp, f.path);
      written.add(relative(dist, f.path));
    }
    for (const name of readdirSync(dist)) if (!written.has(name)) rmSync(join(dist, name), { recursive: true, force: true });
    const sources = Object.keys(result.metafile.inputs).filter((p) => !inputName(p).startsWith('node_modules/')).sort();
    const stamp = { inputs: Object.fromEntries([...sources, ...ALSO_STAMPED].map((p) => [p, fileStamp(p)])) };
    writeFileSync(join(dist, `${STAMP}.${process.pid}.tmp`), JSON.stringify(stamp, null, 1) + '\n');
    renameSync(join(dist, `${STAMP}.${process.pid}.tmp`), join(dist, STAMP));
    return reason;
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const force = process.argv.includes('--force');
    const reason = await build({ force });
    if (process.argv.includes('--verbose')) process.stdout.write(reason ? `built ${DIST}/ (${reason})\n` : `${DIST}/ is up to date\n`);
  } catch (e) {
    process.stderr.write(`headroom build: ${/** @type {Error} */ (e).message}\n`);
    process.exitCode = 1;
  }
}
