// `headroom decide` core: JSON-lines observations in, JSON-lines decisions out, with the
// policy state carried from line to line. Process-free so it can be tested directly.
import type { InstanceObservation, ObservedMetric, Observation, PolicyConfig, PolicyState } from './types.ts';
import { decide, initialState } from './index.ts';
import {
  PolicyError,
  describe,
  expectArray,
  expectBoolean,
  expectNumber,
  expectObject,
  expectOneOf,
  expectString,
  joinPath,
  optNumber,
} from './policy-error.ts';

export interface TimedObservation extends Observation {
  time: number;
}

export interface DecisionLine {
  time: number;
  desired: number;
  rule: string;
  reasons: string[];
  currentReplicas: number;
  /** The policy's wish before [min, max] (see Decision.unclamped). */
  unclamped: number;
  /** Each figure the policy compared with a threshold, with the threshold (see ObservedMetric). */
  observed: ObservedMetric[];
}

export interface DecideStreamOptions {
  onError: 'stop' | 'continue';
  write: (line: string) => void;
  writeError: (line: string) => void;
}

export interface DecideStreamResult {
  decisions: number;
  failedLines: number;
  stopped: boolean;
}

function numberRecord(v: unknown, path: string): Record<string, number> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new PolicyError(path, 'an object of numbers', describe(v));
  const out: Record<string, number> = {};
  for (const [k, x] of Object.entries(v)) out[k] = expectNumber(x, joinPath(path, k));
  return out;
}

function parseInstance(v: unknown, path: string): InstanceObservation {
  const o = expectObject(v, path, ['id', 'phase', 'ready', 'startTime', 'readySince', 'requests', 'capacity', 'metrics']);
  const inst: InstanceObservation = {
    id: expectString(o.id, joinPath(path, 'id')),
    phase: expectOneOf(o.phase, joinPath(path, 'phase'), ['pending', 'running', 'failed', 'deleting'] as const),
    ready: expectBoolean(o.ready, joinPath(path, 'ready')),
    startTime: expectNumber(o.startTime, joinPath(path, 'startTime')),
    metrics: o.metrics === undefined ? {} : numberRecord(o.metrics, joinPath(path, 'metrics')),
  };
  const rs = optNumber(o.readySince, joinPath(path, 'readySince'));
  if (rs !== undefined) inst.readySince = rs;
  if (o.requests !== undefined) {
    const r = expectObject(o.requests, joinPath(path, 'requests'), ['cpu', 'memory']);
    inst.requests = {};
    const cpu = optNumber(r.cpu, joinPath(path, 'requests.cpu'), { min: 0 });
    const memory = optNumber(r.memory, joinPath(path, 'requests.memory'), { min: 0 });
    if (cpu !== undefined) inst.requests.cpu = cpu;
    if (memory !== undefined) inst.requests.memory = memory;
  }
  if (o.capacity !== undefined) {
    const c = expectObject(o.capacity, joinPath(path, 'capacity'), ['cpu']);
    const cpu = optNumber(c.cpu, joinPath(path, 'capacity.cpu'), { gt: 0 });
    inst.capacity = cpu === undefined ? {} : { cpu };
  }
  return inst;
}

/** Validates one parsed JSON line; throws PolicyError naming the field. */
export function parseObservation(raw: unknown): TimedObservation {
  const o = expectObject(raw, '', ['time', 'currentReplicas', 'instances', 'external']);
  const instances = expectArray(o.instances, 'instances').map((x, i) => parseInstance(x, joinPath('instances', i)));
  const ids = new Set<string>();
  instances.forEach((x, i) => {
    if (ids.has(x.id)) throw new PolicyError(joinPath(joinPath('instances', i), 'id'), 'a unique instance id', JSON.stringify(x.id));
    ids.add(x.id);
  });
  const obs: TimedObservation = {
    time: expectNumber(o.time, 'time'),
    currentReplicas: expectNumber(o.currentReplicas, 'currentReplicas', { int: true, min: 0 }),
    instances,
  };
  if (o.external !== undefined) obs.external = numberRecord(o.external, 'external');
  return obs;
}

export async function runDecideStream(cfg: PolicyConfig, lines: AsyncIterable<string> | Iterable<string>, opts: DecideStreamOptions): Promise<DecideStreamResult> {
  let state: PolicyState | undefined;
  let lastTime = -Infinity;
  let lineNo = 0;
  const result: DecideStreamResult = { decisions: 0, failedLines: 0, stopped: false };
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    let obs: TimedObservation;
    try {
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch (e) {
        throw new Error(`invalid JSON (${(e as Error).message})`);
      }
      obs = parseObservation(raw);
      if (obs.time < lastTime) throw new PolicyError('time', `a time ≥ the previous line's (${lastTime})`, String(obs.time));
    } catch (e) {
      result.failedLines++;
      opts.writeError(`line ${lineNo}: ${(e as Error).message}`);
      if (opts.onError === 'stop') {
        result.stopped = true;
        return result;
      }
      continue;
    }
    lastTime = obs.time;
    state ??= initialState(cfg, obs.currentReplicas, obs.time);
    const d = decide(cfg, state, obs, obs.time);
    state = d.state;
    const out: DecisionLine = {
      time: obs.time, desired: d.desired, rule: d.rule, reasons: d.reasons, currentReplicas: obs.currentReplicas,
      unclamped: d.unclamped, observed: d.observed,
    };
    opts.write(JSON.stringify(out));
    result.decisions++;
  }
  return result;
}
