// `headroom merge`: shard results back into the one result the unsharded sweep gives. Shards must
// come from the same sweep (fingerprint) and cover 1..N exactly once; anything else is bad input.
import { readFileSync } from 'node:fs';
import { SWEEP_FORMAT, type SweepResult } from '../stats/sweep-results.ts';
import { finalize } from './result.ts';

export class MergeError extends Error {
  override name = 'MergeError';
}

export function readShard(file: string): SweepResult {
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new MergeError(`${file}: ${code ? `cannot read (${code})` : `invalid JSON: ${(e as Error).message}`}`);
  }
  const r = v as SweepResult;
  if (typeof v !== 'object' || v === null || r.format !== SWEEP_FORMAT || !Array.isArray(r.points)) {
    throw new MergeError(`${file}: format: expected "${SWEEP_FORMAT}" (a sweep --shard result), got ${JSON.stringify((v as SweepResult | null)?.format)}`);
  }
  if (r.shard === null) throw new MergeError(`${file}: shard: expected a shard's result (written by sweep --shard k/N), got a whole sweep`);
  return r;
}

export function mergeShards(files: readonly string[]): SweepResult {
  if (files.length === 0) throw new MergeError('merge: name the shard result files');
  const shards = files.map((f) => ({ file: f, r: readShard(f) }));
  const first = shards[0];
  const count = first.r.shard!.count;
  const seen = new Map<number, string>();
  for (const { file, r } of shards) {
    if (r.fingerprint !== first.r.fingerprint) {
      throw new MergeError(`merge: ${file} is a shard of another sweep (fingerprint ${r.fingerprint}) than ${first.file} (${first.r.fingerprint}): the sweep file, its scenario or --set differ`);
    }
    if (r.shard!.count !== count) throw new MergeError(`merge: ${file} is shard ${r.shard!.index}/${r.shard!.count} but ${first.file} is of ${count} shards`);
    const dup = seen.get(r.shard!.index);
    if (dup !== undefined) throw new MergeError(`merge: shard ${r.shard!.index}/${count} given twice (${dup} and ${file})`);
    seen.set(r.shard!.index, file);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0) {
    const list = missing.length > 8 ? `${missing.slice(0, 8).map((i) => `${i}/${count}`).join(', ')} and ${missing.length - 8} more` : missing.map((i) => `${i}/${count}`).join(', ');
    throw new MergeError(`merge: the shards do not add up: ${shards.length} of ${count} given, missing ${list}`);
  }
  const { points: _p, cheapest: _c, frontier: _f, ...meta } = first.r;
  return finalize({ ...meta, shard: null }, shards.flatMap((s) => s.r.points));
}
