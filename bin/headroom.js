#!/usr/bin/env node
// Runs the bundled CLI in dist/ (scripts/build.js). When dist/ is missing or a source changed
// since it was built, it is rebuilt first, with one line on stderr saying why: a developer who
// edits src/ and runs the CLI gets what they wrote, never a stale build.
import { fileURLToPath } from 'node:url';
import { staleReason } from '../scripts/dist-stamp.js';

const reason = staleReason(fileURLToPath(new URL('..', import.meta.url)));
if (reason) {
  process.stderr.write(`headroom: building dist/ first (${reason})\n`);
  const { build } = await import('../scripts/build.js');
  try {
    await build({ quiet: true });
  } catch (e) {
    process.stderr.write(`headroom: ${/** @type {Error} */ (e).message}\n`);
    process.exit(2);
  }
}
// Stack traces (HEADROOM_DEBUG) name src/ files and lines through the bundle's source maps.
if (process.env.HEADROOM_DEBUG) process.setSourceMapsEnabled(true);
const cli = '../dist/cli.js'; // a variable, so the typecheck does not wander into generated code
await import(cli);
