// Sentences that follow a pool's failures down its calls, from the summary alone: what its own
// timeouts were waiting on, why its calls failed, and the state of what it called — e.g.
// "api: 1,204 timed out (504) waiting for a db connection ← its pools (10 per instance) had 39.8
// of 40 connections in use, mean wait 1.93 s ← db/primary 100% busy, 212 queries waiting".
import { ERROR_CAUSES, type CallSummary, type ComponentSummary, type PoolSummary, type RunSummary } from '../stats/results.ts';
import { CAUSE_LABELS } from './run-charts.ts';

const int = (x: number) => Math.round(x).toLocaleString('en-US');
const sec = (x: number) => (x >= 1 ? `${x.toFixed(2)} s` : `${(x * 1000).toFixed(1)} ms`);
const pct = (x: number) => `${(100 * x).toFixed(0)}%`;

/** The pool that serves a called component (a database: its busier side), or null. */
function serving(s: RunSummary, name: string): [string, PoolSummary] | null {
  const c: ComponentSummary | undefined = s.components[name];
  if (c?.kind === 'pool') return [name, c];
  if (c?.kind !== 'database') return null;
  const sides = [c.primary, ...(c.replicas ? [c.replicas] : [])].map((n) => serving(s, n)).filter((x) => x !== null);
  return sides.sort((a, b) => b[1].utilisation - a[1].utilisation)[0] ?? null;
}

/** A called component's state: how busy its workers were and how much waited. */
function stateOf(s: RunSummary, name: string): string {
  const c = s.components[name];
  if (c?.kind === 'cache') return `${name} ${pct(c.utilisation)} busy, ${c.meanQueue.toFixed(c.meanQueue < 10 ? 1 : 0)} waiting on average, hit ratio ${pct(c.hitRatio)}`;
  const p = serving(s, name);
  return p ? `${p[0]} ${pct(p[1].utilisation)} busy, ${p[1].meanQueue.toFixed(p[1].meanQueue < 10 ? 1 : 0)} waiting on average` : '';
}

function connectionState(c: CallSummary): string {
  const k = c.connections;
  if (!k) return '';
  return `its pools (${k.size} per instance) had ${k.meanInUse.toFixed(1)} of ${k.meanOpen.toFixed(1)} connections in use, mean wait ${sec(k.wait.mean)} (${pct(k.wait.probWait)} waited)`;
}

const chain = (...parts: string[]) => parts.filter(Boolean).join(' ← ');

/** One line per cause of a pool's failures that lies in its calls; retries when there were any. */
export function callCauseLines(s: RunSummary): string[] {
  const out: string[] = [];
  for (const [name, p] of Object.entries(s.components)) {
    if (p.kind !== 'pool' || !p.calls) continue;
    const w = p.calls.timedOutWhile, to = p.calls.to;
    // Refused or queued for a worker while the workers only waited on calls: the calls are why.
    const waited = p.calls.waitingShare >= 0.5 ? `its workers ${pct(p.utilisation)} busy, ${pct(p.calls.waitingShare)} of that waiting on calls` : '';
    const busiest = Object.keys(to).sort((a, b) => (serving(s, b)?.[1].utilisation ?? 0) - (serving(s, a)?.[1].utilisation ?? 0))[0];
    const busy = busiest ? stateOf(s, busiest) : '';
    if (waited && p.errors.backlogFull > 0) out.push(chain(`${name}: ${int(p.errors.backlogFull)} refused (503, backlog full)`, waited, busy));
    if (waited && w.queued > 0) out.push(chain(`${name}: ${int(w.queued)} timed out (504) queued for a worker`, waited, busy));
    for (const [db, n] of Object.entries(w.connection)) {
      out.push(chain(`${name}: ${int(n)} timed out (504) waiting for a ${db} connection`, connectionState(to[db]), stateOf(s, db)));
    }
    for (const [callee, n] of Object.entries(w.call)) {
      out.push(chain(`${name}: ${int(n)} timed out (504) waiting on calls to ${callee}`, stateOf(s, callee)));
    }
    for (const [callee, n] of Object.entries(w.backoff)) out.push(`${name}: ${int(n)} timed out (504) while backing off to retry ${callee}`);
    for (const [callee, c] of Object.entries(to)) {
      const f = c.failed;
      if (f.connectionTimeout > 0) {
        out.push(chain(`${name}: ${int(f.connectionTimeout)} failed (503) with no ${callee} connection within ${sec(c.connections?.acquireTimeout ?? 0)}`, connectionState(c), stateOf(s, callee)));
      }
      if (f.callTimeout > 0) out.push(chain(`${name}: ${int(f.callTimeout)} failed (504) when calls to ${callee} timed out`, stateOf(s, callee)));
      if (f.downstream > 0) {
        const causes = ERROR_CAUSES.filter((k) => (c.downstreamCauses[k] ?? 0) > 0)
          .map((k) => `${int(c.downstreamCauses[k]!)} ${CAUSE_LABELS[k].replace(/ \([^)]*\)$/, '')}`).join(', ');
        out.push(chain(`${name}: ${int(f.downstream)} failed (502) because calls to ${callee} failed${causes ? ` (attempts: ${causes} at ${callee})` : ''}`, stateOf(s, callee)));
      }
      if (c.retries > 0) out.push(`${name}: ${int(c.retries)} retries to ${callee} (${pct(c.retries / c.attempts)} of ${int(c.attempts)} attempts)`);
    }
  }
  return out;
}
