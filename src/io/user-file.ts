// The one way headroom reads a file a user names: scenarios, policies, traces, empirical samples,
// run files. Only regular files are read (a FIFO or /dev/zero would block or never end while
// memory grows), and no more than a stated cap for the kind of file: a file over the cap is
// refused before its first byte is read. Imports nothing of headroom, so every part may use it.
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';

const MIB = 2 ** 20;

/** What each kind of file may weigh, and how messages name the kind. */
export const FILE_LIMITS = {
  scenario: { bytes: 1 * MIB, what: 'scenario files' },
  policy: { bytes: 1 * MIB, what: 'policy files' },
  /** A Kubernetes manifest or docker-stack file a pool's deploy: names (many documents, comments). */
  manifest: { bytes: 4 * MIB, what: 'deploy manifests' },
  /** A sweep file (headroom sweep), a stored baseline run (check --baseline), a sweep shard's sweep.json (merge). */
  sweep: { bytes: 1 * MIB, what: 'sweep files' },
  baseline: { bytes: 16 * MIB, what: 'baseline files' },
  shard: { bytes: 64 * MIB, what: 'sweep results' },
  /** headroom calibrate's output: up to 1,000 quantiles per pool and balancer. */
  calibration: { bytes: 16 * MIB, what: 'calibration files' },
  trace: { bytes: 64 * MIB, what: 'traces' },
  samples: { bytes: 64 * MIB, what: 'sample files' },
  summary: { bytes: 64 * MIB, what: 'summary.json files' },
  /** A run's time series: the work-size guard keeps what `run` writes well under this. */
  series: { bytes: 400 * MIB, what: 'timeseries.csv files' },
} as const;
export type FileKind = keyof typeof FILE_LIMITS;

/** Why a file could not be read, in words for a message: `not a regular file (a FIFO)`, `cannot read (ENOENT)`. */
export class UserFileError extends Error {
  override name = 'UserFileError';
  constructor(readonly file: string, readonly reason: string, readonly code?: string) {
    super(`${file}: ${reason}`);
  }
}

export function formatBytes(n: number): string {
  if (n >= 2 ** 50) return `${(n / 2 ** 40).toPrecision(3).replace(/e\+?/, 'e')} TiB`;
  if (n >= 2 ** 40) return `${Number((n / 2 ** 40).toPrecision(3))} TiB`;
  if (n >= 2 ** 30) return `${Number((n / 2 ** 30).toPrecision(3))} GiB`;
  if (n >= MIB) return `${Number((n / MIB).toPrecision(3))} MiB`;
  if (n >= 1024) return `${Number((n / 1024).toPrecision(3))} KiB`;
  return `${n} bytes`;
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function notRegular(file: string, st: Stats): UserFileError {
  return new UserFileError(file, `is ${kindOf(st)}, expected a regular file`);
}

function overLimit(file: string, kind: FileKind, size: string): UserFileError {
  const limit = FILE_LIMITS[kind];
  return new UserFileError(file, `is ${size}, over the ${formatBytes(limit.bytes)} headroom reads for ${limit.what}`);
}

function cannotRead(file: string, err: unknown): UserFileError {
  const code = (err as NodeJS.ErrnoException).code ?? 'error';
  const words: Record<string, string> = {
    ENOENT: 'not found',
    EACCES: 'permission denied',
    EISDIR: 'is a directory, expected a regular file',
    ENOTDIR: 'not found (a part of the path is not a directory)',
    ELOOP: 'too many symbolic links',
  };
  return new UserFileError(file, words[code] !== undefined ? `${words[code]} (${code})` : `cannot read (${code})`, code);
}

/**
 * The text (UTF-8) of a regular file of at most the cap for its kind. Throws UserFileError naming
 * the file and why. The file is checked by path first (so a FIFO is never opened: opening one
 * blocks until a writer comes), then opened non-blocking and checked again on the descriptor, and
 * read only up to the cap even if it grows meanwhile.
 */
export function readUserFile(file: string, kind: FileKind): string {
  const cap = FILE_LIMITS[kind].bytes;
  let st: Stats;
  try {
    st = statSync(file);
  } catch (err) {
    throw cannotRead(file, err);
  }
  if (!st.isFile()) throw notRegular(file, st);
  if (st.size > cap) {
    const size = formatBytes(st.size) === formatBytes(cap) ? `${st.size.toLocaleString('en-US')} bytes` : formatBytes(st.size);
    throw overLimit(file, kind, size);
  }
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw cannotRead(file, err);
  }
  try {
    const fst = fstatSync(fd);
    if (!fst.isFile()) throw notRegular(file, fst);
    // One byte more than expected: a file that grew after fstat fills it, and is read on below.
    const buf = Buffer.allocUnsafe(Math.min(cap, fst.size) + 1);
    let length = 0;
    while (length < buf.length) {
      const n = readOrThrow(fd, file, buf, length);
      if (n === 0) return buf.toString('utf8', 0, length);
      length += n;
    }
    if (length > cap) throw overLimit(file, kind, `more than ${formatBytes(cap)}`);
    return readGrown(fd, file, kind, buf);
  } finally {
    closeSync(fd);
  }
}

function readGrown(fd: number, file: string, kind: FileKind, head: Buffer): string {
  const cap = FILE_LIMITS[kind].bytes;
  const chunks: Buffer[] = [head];
  let total = head.length;
  const chunk = Buffer.allocUnsafe(64 * 1024);
  for (;;) {
    const n = readOrThrow(fd, file, chunk, 0);
    if (n === 0) break;
    total += n;
    if (total > cap) throw overLimit(file, kind, `more than ${formatBytes(cap)}`);
    chunks.push(Buffer.from(chunk.subarray(0, n)));
  }
  return Buffer.concat(chunks, total).toString('utf8');
}

function readOrThrow(fd: number, file: string, buf: Buffer, offset: number): number {
  try {
    return readSync(fd, buf, offset, buf.length - offset, null);
  } catch (err) {
    throw cannotRead(file, err);
  }
}
