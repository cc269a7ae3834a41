// Files a scenario refers to (traces, empirical samples): paths relative to the scenario file,
// read as text lines with their line numbers, through the one reader of user files.
import path from 'node:path';
import { UserFileError, readUserFile, type FileKind } from '../io/user-file.ts';
import { ScenarioError, fail, renderGot, type Where } from './errors.ts';

export interface DataFile {
  /** How messages name it: the scenario's directory joined with the relative path. */
  display: string;
  /** Lines that are neither blank nor `#` comments, with 1-based line numbers, trimmed. */
  lines: Array<{ n: number; text: string }>;
}

/**
 * The text of a file a scenario field names (`at`), relative to the scenario's directory. A file
 * that cannot be read is the field's error: `x.yaml: traffic.rate.trace.file: expected a readable
 * trace file relative to the scenario, got "day.csv" — traces/day.csv: is a FIFO, expected a regular file`.
 */
export function readReferencedFile(relative: unknown, at: Where, baseDir: string, kind: FileKind): { display: string; text: string } {
  if (typeof relative !== 'string' || relative === '') fail(at, 'a path relative to the scenario file', relative);
  const rel = relative as string;
  const display = path.isAbsolute(rel) ? rel : path.join(baseDir, rel);
  try {
    return { display, text: readUserFile(display, kind) };
  } catch (err) {
    if (!(err instanceof UserFileError)) throw err;
    const what = kind === 'samples' ? 'sample file' : `${kind} file`;
    throw new ScenarioError(at.file, at.path, `a readable ${what} relative to the scenario`, undefined, {
      gotText: `${renderGot(rel)} — ${err.message}`,
    });
  }
}

export function readDataFile(relative: unknown, at: Where, baseDir: string, kind: 'trace' | 'samples'): DataFile {
  const { display, text } = readReferencedFile(relative, at, baseDir, kind);
  const lines: DataFile['lines'] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed !== '' && !trimmed.startsWith('#')) lines.push({ n: i + 1, text: trimmed });
  });
  return { display, lines };
}
