// nginx's passive health check as a chain of causes, counted: failed attempts at a pool → peers
// marked down (nginx logs "upstream server temporarily disabled", ngx_http_upstream_free_round_robin_peer:
// `if (peer->fails >= peer->max_fails)` after `peer->fails++`, never for a single peer) → requests
// answered 502 because no peer was usable. scenarios/nginx-default-max-fails.yaml reproduces the
// issue's case: a short flash crowd overflows small backlogs a few times, and nginx's defaults
// (max_fails=1 fail_timeout=10s) turn those few refusals into thousands of 502s.
import t from 'tap';
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { Upstream } from '../../src/model/upstream.ts';
import { runScenario } from '../../src/model/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { formatSummary } from '../../src/cli/summary-table.ts';
import type { BalancerSummary, PoolSummary } from '../../src/stats/results.ts';

t.test('markedDown counts what nginx logs: each failure at or beyond max_fails, never for a single peer', async (t) => {
  const up = new Upstream('round_robin', () => 0);
  const a = up.addPeer(1, 3, 30);
  up.addPeer(1, 3, 30);
  for (const [k, expected] of [[1, 0], [2, 0], [3, 1], [4, 2]] as const) {
    up.conns[a]++; // a connection to `a` (as pick() would count it) that then fails
    up.free(a, 0, true);
    t.equal(up.markedDown, expected, `failure ${k} on a peer with max_fails=3`);
  }
  const single = new Upstream('round_robin', () => 0);
  const only = single.addPeer(1, 1, 10);
  single.conns[only]++;
  single.free(only, 0, true);
  t.equal(single.markedDown, 0, 'a lone peer is never marked down (nginx skips the accounting)');
  const off = new Upstream('round_robin', () => 0);
  const p0 = off.addPeer(1, 0, 10);
  off.addPeer(1, 0, 10);
  off.conns[p0]++;
  off.free(p0, 0, true);
  t.equal(off.markedDown, 0, 'max_fails=0 disables the accounting');
});

const FILE = 'scenarios/nginx-default-max-fails.yaml';

/** The example scenario, with the balancer's settings overridden. */
function flashCrowd(lb: Record<string, unknown> = {}) {
  const raw = YAML.parse(readFileSync(FILE, 'utf8'));
  raw.components.nginx = { ...raw.components.nginx, ...lb };
  return parseScenario(raw, FILE, 'scenarios');
}

t.test("the issue's case: a few refusals under nginx's defaults become thousands of 502s, and the counts add up", async (t) => {
  const { summary, rows } = runScenario(flashCrowd());
  const lb = summary.components.nginx as BalancerSummary, pool = summary.components.app as PoolSummary;
  const c = lb.causes!;
  t.same([c.pool, c.maxFails, c.failTimeout, c.nginxDefaults], ['app', 1, 10, true], "nginx's defaults in force");
  t.ok(c.refused > 0, `refusals happened (${c.refused})`);
  t.equal(c.refused, pool.errors.backlogFull, 'refusals are the pool\'s backlog-full errors');
  t.equal(c.timedOut + c.drainKilled, 0, 'no timeout and no drain in this scenario');
  t.equal(c.markedDown, c.refused + c.timedOut + c.drainKilled, 'max_fails=1 on three peers: every failure marks its peer down');
  t.equal(c.noLiveUpstreams, lb.errors.noUpstream, 'the 502s are the balancer\'s no-upstream errors');
  t.ok(c.noLiveUpstreams > 100 * c.refused, `amplified: ${c.refused} refusals → ${c.noLiveUpstreams} 502s`);
  t.equal(summary.totals.errors.noUpstream, c.noLiveUpstreams + pool.errors.noUpstream, 'every 502 of the run is accounted for');
  const lbRows = rows.filter((r) => r.component === 'nginx');
  t.equal(lbRows.reduce((s, r) => s + (r.marked_down ?? 0), 0), c.markedDown, 'the per-interval marked_down column sums to the total');
  t.equal(lbRows.reduce((s, r) => s + r.errors_no_upstream, 0), c.noLiveUpstreams, 'and the 502s per interval to theirs');
  t.ok(lbRows.filter((r) => (r.marked_down ?? 0) > 0).every((r) => r.time > 300 && r.time < 480), 'markings only around the crowd (5 min to 8 min)');
  const text = formatSummary(summary);
  t.match(text, `502s       nginx: ${c.refused} attempts failed at pool app (${c.refused} refused with a full backlog) → a peer was marked down ${c.markedDown} times → ${c.noLiveUpstreams.toLocaleString('en-US')} requests answered 502 "no live upstreams"`);
  t.match(text, "max_fails=1 fail_timeout=10s (nginx's defaults): one failure takes a peer out for 10 s");
});

t.test('the same crowd with max_fails=3 and with max_fails=0', async (t) => {
  const three = runScenario(flashCrowd({ maxFails: 3, failTimeout: '30s' })).summary.components.nginx as BalancerSummary;
  const c = three.causes!;
  t.notOk(c.nginxDefaults);
  t.ok(c.markedDown <= c.refused + c.timedOut + c.drainKilled, `a marking needs a failure (${c.markedDown} ≤ ${c.refused})`);
  const off = runScenario(flashCrowd({ maxFails: 0 })).summary;
  const o = (off.components.nginx as BalancerSummary).causes!;
  t.same([o.markedDown, o.noLiveUpstreams], [0, 0], 'max_fails=0: refusals never take a peer out, no 502');
  t.notMatch(formatSummary(off), /^502s/m, 'and the terminal has nothing to explain');
});

t.test('every cause nginx meets at the pool is in the chain: a 5xx fault counts as a failed attempt', async (t) => {
  // The same crowd, plus 20 % of answers turned into 503s for a minute before it; nginx retries
  // http_503 (proxy_next_upstream), and each such answer counts towards max_fails=1.
  const raw = YAML.parse(readFileSync(FILE, 'utf8'));
  raw.components.nginx = { ...raw.components.nginx, nextUpstream: { on: ['error', 'timeout', 'http_503'] } };
  raw.faults = [{ at: '1m', errors: 'app', fraction: '20%', status: 503, for: '1m' }];
  const { summary } = runScenario(parseScenario(raw, FILE, 'scenarios'));
  const c = (summary.components.nginx as BalancerSummary).causes!, pool = summary.components.app as PoolSummary;
  t.ok((c.failed?.serverError ?? 0) > 0, `5xx answers counted (${c.failed?.serverError})`);
  t.same(c.failed, Object.fromEntries(Object.entries(pool.errors).filter(([, n]) => n > 0)), 'failed: the pool\'s errors by cause, the counted ones');
  const total = Object.values(c.failed!).reduce((a, b) => a + b, 0);
  const text = formatSummary(summary);
  t.match(text, `502s       nginx: ${total.toLocaleString('en-US')} attempts failed at pool app (`, 'the chain counts every failed attempt');
  t.match(text, `${c.failed!.serverError!.toLocaleString('en-US')} answered with a 5xx`, 'and names the 5xx answers');
});
