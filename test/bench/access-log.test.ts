// Parsing the headroom access-log format. The lines are what nginx 1.22 wrote in this project's
// nginx fixture (test/bench/nginx-fixture.ts): a refused connection retried ("-" connect time,
// 502 then 503), an X-Accel-Redirect (" : " between groups), a request with no upstream.
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLine, readAccessLog, type LogRecord } from '../../src/bench/access-log.ts';

const PLAIN = '127.0.0.1 [2026-11-30T06:18:27+00:00] "GET /plain HTTP/1.1" 200 11 msec=1796019507.074 rt=0.057 uct="0.000" urt="0.057" ua="127.0.0.1:43065" us="200" up=web';
const RETRY = '127.0.0.1 [2026-11-30T06:18:27+00:00] "GET /retry HTTP/1.1" 503 5 msec=1796019507.115 rt=0.007 uct="-, 0.000" urt="0.000, 0.007" ua="127.0.0.1:1, 127.0.0.1:43065" us="502, 503" up=web';
const REDIR = '127.0.0.1 [2026-11-30T06:18:27+00:00] "GET /redir HTTP/1.1" 200 11 msec=1796019507.161 rt=0.023 uct="0.000 : 0.000" urt="0.002 : 0.021" ua="127.0.0.1:43065 : 127.0.0.1:43065" us="200 : 200" up=web';
const NONE = '127.0.0.1 [2026-11-30T06:18:27+00:00] "GET /static HTTP/1.1" 204 0 msec=1796019507.300 rt=0.000 uct="-" urt="-" ua="-" us="-" up=-';
const NO_LIVE = '127.0.0.1 [2026-11-30T06:18:27+00:00] "GET / HTTP/1.1" 502 157 msec=1796019507.400 rt=0.000 uct="-" urt="0.000" ua="web" us="502" up=web';

t.test('a plain request: one try', async (t) => {
  const r = parseLine(PLAIN, 1);
  t.equal(r.status, 200);
  t.equal(r.msec, 1796019507.074);
  t.equal(r.requestTime, 0.057);
  t.equal(r.upstream, 'web');
  t.equal(r.path, '/plain');
  t.same(r.tries, [{ addr: '127.0.0.1:43065', status: 200, connect: 0, response: 0.057, group: 0 }]);
});

t.test('a retry: two tries in one group, "-" where the connection was refused', async (t) => {
  const r = parseLine(RETRY, 2);
  t.same(r.tries.map((x) => [x.addr, x.status, x.connect, x.response, x.group]), [
    ['127.0.0.1:1', 502, null, 0, 0],
    ['127.0.0.1:43065', 503, 0, 0.007, 0],
  ]);
});

t.test('an internal redirect: a new group after " : "', async (t) => {
  const r = parseLine(REDIR, 3);
  t.same(r.tries.map((x) => [x.group, x.response]), [[0, 0.002], [1, 0.021]]);
});

t.test('no upstream: "-" everywhere, no tries', async (t) => {
  const r = parseLine(NONE, 4);
  t.same(r.tries, []);
  t.equal(r.upstream, null);
});

t.test('"no live upstreams": the group name as the address, a single "-" connect time', async (t) => {
  const r = parseLine(NO_LIVE, 5);
  t.same(r.tries, [{ addr: 'web', status: 502, connect: null, response: 0, group: 0 }]);
});

t.test('unreadable lines say which field was expected', async (t) => {
  t.throws(() => parseLine(PLAIN.replace('rt=0.057', 'rt=fast'), 7), /expected the headroom log format \(rt=<seconds\.milliseconds> \(\$request_time\)\), got "127\.0\.0\.1/);
  t.throws(() => parseLine('hello world', 7), /expected the headroom log format \(an address and \[\$time_iso8601\] at the start\)/);
  t.throws(() => parseLine(PLAIN.replace(' up=web', ''), 7), /\(up=<upstream name> \(\$proxy_host\) at the end\)/);
  t.throws(() => parseLine(RETRY.replace('us="502, 503"', 'us="502"'), 7), /expected us="502" to have one entry per upstream try like ua="127\.0\.0\.1:1, 127\.0\.0\.1:43065"/);
  t.throws(() => parseLine(PLAIN.replace('urt="0.057"', 'urt="57ms"'), 7), /expected urt entries as seconds\.milliseconds or "-", got "57ms"/);
});

const tmp = mkdtempSync(join(tmpdir(), 'headroom-log-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

t.test('a file: records in order; the first bad line stops with FILE:LINE; --skip-bad-lines counts', async (t) => {
  const file = join(tmp, 'access.log');
  writeFileSync(file, [PLAIN, RETRY, 'garbage', REDIR, NONE].join('\n') + '\n');
  await t.rejects(readAccessLog(file, () => {}), { name: 'AccessLogError', message: new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: expected the headroom log format`) });
  const seen: LogRecord[] = [];
  const r = await readAccessLog(file, (x) => seen.push(x), { skipBadLines: true });
  t.same(seen.map((x) => x.line), [1, 2, 4, 5], 'line numbers kept');
  t.equal(r.lines, 4);
  t.equal(r.badLines, 1);
  t.match(r.firstBad, /:3: expected the headroom log format/);
});

t.test('a missing file: one line naming it', async (t) => {
  await t.rejects(readAccessLog(join(tmp, 'nope.log'), () => {}), { message: /nope\.log: cannot read the access log \(ENOENT\)/ });
});

t.test('a large log streams in bounded memory', async (t) => {
  const file = join(tmp, 'big.log');
  const n = 500_000;
  writeFileSync(file, (PLAIN + '\n').repeat(n));
  const before = process.memoryUsage().rss;
  let count = 0, sum = 0;
  const r = await readAccessLog(file, (x) => { count++; sum += x.tries[0]!.response!; });
  t.equal(r.lines, n);
  t.equal(count, n);
  t.ok(Math.abs(sum - 0.057 * n) < 1e-6 * n);
  // The file is ~83 MB: a reader that held it (as UTF-16 text, or its records) would grow by more than its size.
  t.ok(process.memoryUsage().rss - before < 83e6, `rss grew ${((process.memoryUsage().rss - before) / 2 ** 20).toFixed(1)} MiB`);
});
