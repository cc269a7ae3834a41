// The one error type of scenario loading. Every message names the file, the path of the bad
// field and what was expected: `scenarios/x.yaml: components.api.serviceTime.median: expected a
// duration like "20ms", got "fast"`.

const GOT_MAX = 60;

/** Renders an offending value for a message: JSON, truncated to 60 characters; `nothing` when absent. */
export function renderGot(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return String(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > GOT_MAX ? `${text.slice(0, GOT_MAX - 1)}…` : text;
}

export interface ScenarioErrorOptions {
  /** Replaces the `expected …, got …` part of the message, e.g. `unknown key; did you mean "workers"?`. */
  detail?: string;
  /** The rendered offending value when it is not a value of the file (e.g. a parser message). */
  gotText?: string;
}

export class ScenarioError extends Error {
  /** The file (or `FILE:line`, `FILE:line:col` for syntax errors) the error is in. */
  readonly file: string;
  /** Dotted path of the bad field (`components.web.workers`, `slo[1].max`); '' for the whole file. */
  readonly path: string;
  readonly expected: string;
  /** The offending value, rendered (JSON, at most 60 characters; `nothing` when absent). */
  readonly got: string;

  constructor(file: string, path: string, expected: string, got: unknown, options: ScenarioErrorOptions = {}) {
    const gotText = options.gotText ?? renderGot(got);
    const where = path === '' ? `${file}: ` : `${file}: ${path}: `;
    super(options.detail !== undefined ? where + options.detail : `${where}expected ${expected}, got ${gotText}`);
    this.name = 'ScenarioError';
    this.file = file;
    this.path = path;
    this.expected = expected;
    this.got = gotText;
  }
}

/** Where a value sits: the file and the dotted path of the field. */
export interface Where {
  file: string;
  path: string;
}

export function fail(at: Where, expected: string, got: unknown): never {
  throw new ScenarioError(at.file, at.path, expected, got);
}

/** `a.b` + `c` → `a.b.c`; `a` + 2 → `a[2]`; '' + `c` → `c`. */
export function child(at: Where, key: string | number): Where {
  if (typeof key === 'number') return { file: at.file, path: `${at.path}[${key}]` };
  return { file: at.file, path: at.path === '' ? key : `${at.path}.${key}` };
}
