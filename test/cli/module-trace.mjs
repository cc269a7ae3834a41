// `node --import ./module-trace.mjs …`: appends the file: URL of every ES module the process loads
// to the file named by HEADROOM_MODULE_TRACE (test/cli/startup.test.ts reads it).
import { register } from 'node:module';

register('./module-trace-hooks.mjs', import.meta.url, { data: { out: process.env.HEADROOM_MODULE_TRACE } });
