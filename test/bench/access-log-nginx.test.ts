// The access-log reader on what a real nginx writes: nginx 1.22 from a private prefix, proxying to
// Node servers on 127.0.0.1, with a retry (proxy_next_upstream on a 503), an internal redirect
// (X-Accel-Redirect to another upstream group) and a request that reaches no upstream.
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAccessLog, type LogRecord } from '../../src/bench/access-log.ts';
import { startNginx, upstreamServer } from './nginx-fixture.ts';

const prefix = mkdtempSync(join(tmpdir(), 'headroom-nginx-'));
t.teardown(() => rmSync(prefix, { recursive: true, force: true }));

const wait = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

// a and b answer after 30 ms; the first /retry either of them sees is refused with 503 (so nginx
// tries the other); /redir answers with X-Accel-Redirect to /internal/api.
let retried = 0;
const web = (name: string) => async (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
  if (req.url === '/retry' && retried++ === 0) {
    res.statusCode = 503;
    res.end('busy');
  } else if (req.url === '/redir') {
    res.setHeader('X-Accel-Redirect', '/internal/api');
    res.end();
  } else {
    await wait(30);
    res.end(name);
  }
};
const a = await upstreamServer(web('a'));
const b = await upstreamServer(web('b'));
const api = await upstreamServer(async (_req, res) => {
  await wait(20);
  res.end('api');
});
t.teardown(() => { a.server.close(); b.server.close(); api.server.close(); });

const nginx = await startNginx(
  prefix,
  `upstream web { server 127.0.0.1:${b.port}; server 127.0.0.1:${a.port}; }
   upstream apipool { server 127.0.0.1:${api.port}; }`,
  `location / { proxy_pass http://web; proxy_next_upstream error timeout http_503; }
   location /internal/ { internal; proxy_pass http://apipool; }
   location = /static { return 204; }`,
);
t.teardown(nginx.stop);

t.test('retries, redirects, no upstream and plain requests as nginx logs them', async (t) => {
  for (const path of ['/plain', '/retry', '/redir', '/static']) {
    const r = await fetch(`http://127.0.0.1:${nginx.port}${path}`);
    await r.arrayBuffer();
    t.ok(r.status < 300, `${path}: ${r.status}`);
  }
  await nginx.stop(); // flushes and closes the log
  const recs: LogRecord[] = [];
  const read = await readAccessLog(nginx.log, (r) => recs.push(r));
  t.equal(read.lines, 4, 'one record per request');
  const [plain, retry, redir, stat] = recs as [LogRecord, LogRecord, LogRecord, LogRecord];

  t.equal(plain.upstream, 'web');
  t.equal(plain.tries.length, 1);
  t.equal(plain.tries[0]!.status, 200);
  t.ok(plain.tries[0]!.response! >= 0.029, `upstream time covers the 30 ms wait: ${plain.tries[0]!.response}`);
  // Both are read from nginx's cached millisecond clock, updated at different points of the event
  // loop: $request_time may read 1 ms short of $upstream_response_time, never more.
  t.ok(plain.requestTime >= plain.tries[0]!.response! - 0.001, `$request_time ≥ $upstream_response_time − 1 ms: ${plain.requestTime} vs ${plain.tries[0]!.response}`);

  t.equal(retry.tries.length, 2, 'a 503 then a retry on the other server');
  t.same(retry.tries.map((x) => x.status), [503, 200]);
  t.same(retry.tries.map((x) => x.addr).sort(), [`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`].sort(), 'on both servers');
  t.same(retry.tries.map((x) => x.group), [0, 0], 'retries are one redirect group');
  t.equal(retry.status, 200);

  t.equal(redir.upstream, 'apipool', '$proxy_host names the group after the redirect');
  t.same(redir.tries.map((x) => x.group), [0, 1], 'an internal redirect starts a new group (" : ")');
  t.equal(redir.tries[1]!.addr, `127.0.0.1:${api.port}`);
  t.ok(redir.tries[1]!.response! >= 0.019, 'the api time after the redirect');

  t.equal(stat.tries.length, 0, 'return 204: no upstream');
  t.equal(stat.upstream, null, 'up=- read as no upstream');
  t.equal(stat.status, 204);
  t.ok(Math.abs(stat.msec * 1000 - Date.now()) < 60_000, '$msec is the epoch in seconds');
});
