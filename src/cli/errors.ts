// How every command reports bad input: one line naming the file and field, exit code 2.
export function fail(e: unknown): never {
  const msg = e instanceof Error ? e.message : String(e);
  process.stderr.write(`headroom: ${msg}\n`);
  if (process.env.HEADROOM_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
  process.exit(2);
}
