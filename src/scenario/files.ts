// Files a scenario refers to (traces, empirical samples): paths relative to the scenario file,
// read as text lines with their line numbers.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fail, type Where } from './errors.ts';

export interface DataFile {
  /** How messages name it: the scenario's directory joined with the relative path. */
  display: string;
  /** Lines that are neither blank nor `#` comments, with 1-based line numbers, trimmed. */
  lines: Array<{ n: number; text: string }>;
}

export function readDataFile(relative: unknown, at: Where, baseDir: string): DataFile {
  if (typeof relative !== 'string' || relative === '') fail(at, 'a path relative to the scenario file', relative);
  const rel = relative as string;
  const display = path.isAbsolute(rel) ? rel : path.join(baseDir, rel);
  let text: string;
  try {
    text = readFileSync(display, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    fail(at, `a readable file relative to the scenario (${code}: ${display})`, rel);
  }
  const lines: DataFile['lines'] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed !== '' && !trimmed.startsWith('#')) lines.push({ n: i + 1, text: trimmed });
  });
  return { display, lines };
}
