// Is dist/ the build of the sources as they are now? bin/headroom.js asks at every start, so this
// stays cheap: one stat per recorded file, and a hash only for a file whose size or mtime moved
// (a checkout or `touch` that leaves the content alone does not force a rebuild).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export const DIST = 'dist';
/** dist/build.json: every source file the bundle was built from, with its size, mtime and hash. */
export const STAMP = 'build.json';

/** @typedef {{ size: number, mtimeMs: number, sha256: string }} FileStamp */

/**
 * Why dist/ under root must be rebuilt, or null when it is current.
 * @param {string} root the project directory
 * @returns {string | null}
 */
export function staleReason(root) {
  /** @type {{ inputs: Record<string, FileStamp> }} */
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(root, DIST, STAMP), 'utf8'));
  } catch {
    return existsSync(join(root, DIST)) ? `${DIST}/ has no complete build` : `no ${DIST}/ yet`;
  }
  for (const [file, was] of Object.entries(stamp.inputs)) {
    const st = statSync(join(root, file), { throwIfNoEntry: false });
    if (!st) return `${file} is gone`;
    if (st.size === was.size && st.mtimeMs === was.mtimeMs) continue;
    // node:crypto only now: loading it costs every start about 15 ms of CPU (/usr/bin/time).
    const { createHash } = /** @type {typeof import('node:crypto')} */ (createRequire(import.meta.url)('node:crypto'));
    if (createHash('sha256').update(readFileSync(join(root, file))).digest('hex') !== was.sha256) return `${file} changed`;
  }
  return null;
}
