// The text of a scenario or policy file → plain data: YAML (aliases bounded) or JSON, syntax
// errors with the file, line and column, and no number that overflowed to Infinity.
import path from 'node:path';
import { parseAllDocuments, parseDocument, type Document } from 'yaml';
import { PolicyError, parsePolicy } from '../autoscale/index.ts';
import type { PolicyConfig } from '../autoscale/types.ts';
import { ScenarioError, child, type Where } from './errors.ts';
import { isMapping } from './fields.ts';

/** Aliases a YAML file may expand: enough for any hand-written file, too few for an alias bomb. */
const MAX_ALIAS_COUNT = 1000;

function syntaxError(file: string, line: number | undefined, col: number | undefined, kind: string, message: string): ScenarioError {
  const at = line !== undefined ? `${file}:${line}:${col ?? 1}` : file;
  return new ScenarioError(at, '', `valid ${kind}`, message, { detail: `invalid ${kind}: ${message}` });
}

export function parseYamlText(text: string, file: string): unknown {
  const doc = parseDocument(text, { merge: true, prettyErrors: true });
  return documentValue(doc, file);
}

/** Every document of a multi-document YAML file (a manifest: `---` between a Deployment and its Service), each finite. */
export function parseYamlDocuments(text: string, file: string): unknown[] {
  const docs = parseAllDocuments(text, { merge: true, prettyErrors: true });
  const values = (Array.isArray(docs) ? docs : []).map((d) => documentValue(d, file));
  checkFinite(values, { file, path: '' });
  return values;
}

function documentValue(doc: Document.Parsed, file: string): unknown {
  const err = doc.errors[0];
  if (err !== undefined) {
    const pos = err.linePos?.[0];
    const message = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw syntaxError(file, pos?.line, pos?.col, 'YAML', message);
  }
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    // The yaml library refuses an alias bomb here, with a message that names no file.
    const reason = /alias count/i.test((e as Error).message)
      ? `its aliases expand to too many nodes (more than ${MAX_ALIAS_COUNT}; an alias bomb?)`
      : (e as Error).message;
    throw syntaxError(file, undefined, undefined, 'YAML', reason);
  }
}

export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const m = /at position (\d+)/.exec(message);
    if (m === null) throw syntaxError(file, undefined, undefined, 'JSON', message);
    const before = text.slice(0, Number(m[1])).split('\n');
    const cleaned = message.replace(/ in JSON at position \d+.*$/, '');
    throw syntaxError(file, before.length, before[before.length - 1].length + 1, 'JSON', cleaned);
  }
}

/** YAML or JSON by the file's extension; every number finite. */
export function parseDataText(text: string, file: string): unknown {
  const raw = path.extname(file).toLowerCase() === '.json' ? parseJsonText(text, file) : parseYamlText(text, file);
  checkFinite(raw, { file, path: '' });
  return raw;
}

/**
 * A number written with more digits than a double holds (a 400-digit literal, `1e999`, YAML's
 * `.inf`) reads as ±Infinity or NaN: refused here, at its field, before any check could take it
 * for "no limit".
 */
export function checkFinite(value: unknown, at: Where): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new ScenarioError(at.file, at.path, 'a finite number', value, {
        detail: `expected a finite number, got ${String(value)} (more digits than a double holds, or .inf/.nan)`,
      });
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => checkFinite(v, child(at, i)));
  } else if (isMapping(value)) {
    for (const [k, v] of Object.entries(value)) checkFinite(v, child(at, k));
  }
}

/** A policy file's text (YAML, or JSON by its extension) as a policy; errors name the file, line and path inside it. */
export function parsePolicyText<T = PolicyConfig>(text: string, file: string, parse: (raw: unknown) => T = parsePolicy as (raw: unknown) => T): T {
  return policyAt(parseDataText(text, file), { file, path: '' }, parse);
}

/** The decision engine's parser, its errors placed at `where` (a scenario field, or a policy file's root). */
export function policyAt<T = PolicyConfig>(raw: unknown, where: Where, parse: (raw: unknown) => T = parsePolicy as (raw: unknown) => T): T {
  try {
    return parse(raw);
  } catch (err) {
    if (!(err instanceof PolicyError)) throw err;
    const sub = err.path === '' || err.path === '(root)' ? '' : err.path.startsWith('[') ? err.path : `.${err.path}`;
    const p = where.path + sub;
    throw new ScenarioError(where.file, p.startsWith('.') ? p.slice(1) : p, err.expected, undefined, { gotText: err.got });
  }
}
