// The generated nginx.conf says what the scenario says, and nginx itself accepts it (nginx -t).
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadScenario, parseScenario } from '../../src/scenario/index.ts';
import { nginxConf, nginxRate } from '../../src/bench/nginx-conf.ts';
import { LOG_FORMAT_DIRECTIVE } from '../../src/bench/log-format.ts';
import { NGINX } from '../../src/bench/stack.ts';

const tmp = mkdtempSync(join(tmpdir(), 'headroom-conf-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

/** nginx -t on the config made for a private prefix; returns nginx's verdict. */
function nginxTest(make: (dir: string) => string): { ok: boolean; out: string } {
  const dir = mkdtempSync(join(tmp, 'p-'));
  mkdirSync(join(dir, 'tmp'));
  const text = make(dir);
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, text);
  const r = spawnSync(NGINX, ['-t', '-p', dir, '-c', conf, '-e', join(dir, 'error.log')], { encoding: 'utf8' });
  return { ok: r.status === 0, out: r.stderr };
}

const layout = (dir: string, ports: Record<string, number[]>) => ({ prefix: dir, port: 18080, ports, workerProcesses: 1 });

t.test('the Saler baseline: weights, max_fails, next_upstream, limit_req, timeouts, log format', async (t) => {
  const sc = loadScenario(join(import.meta.dirname, '../../scenarios/saler-baseline.yaml'));
  const { text, notes } = nginxConf(sc, layout(join(tmp, 'x'), { web: [9001, 9002, 9003], api: [9101, 9102, 9103] }), '/x/access.log', '/x/error.log');
  t.same(notes, []);
  t.ok(text.includes(LOG_FORMAT_DIRECTIVE), 'declares the headroom log format');
  t.match(text, /access_log \/x\/access\.log headroom/);
  t.match(text, /upstream web \{\n\s+zone web 256k;\n\s+server 127\.0\.0\.1:9001 weight=3 max_fails=3 fail_timeout=30s;\n\s+server 127\.0\.0\.1:9002 weight=2 max_fails=3 fail_timeout=30s;\n\s+server 127\.0\.0\.1:9003 weight=2/);
  t.match(text, /upstream api \{[^}]*server 127\.0\.0\.1:9101 weight=2/);
  t.match(text, /limit_req_zone \$binary_remote_addr zone=nginx:10m rate=100r\/s;/);
  t.match(text, /limit_req_zone \$binary_remote_addr zone=nginx-api:10m rate=10r\/s;/);
  t.match(text, /location \/lb\/nginx\/ \{\n\s+limit_req zone=nginx burst=20 nodelay;\n\s+proxy_pass http:\/\/web;\n\s+proxy_next_upstream error timeout http_502 http_503 http_504;\n\s+proxy_next_upstream_tries 3;\n\s+proxy_next_upstream_timeout 10000ms;\n\s+proxy_connect_timeout 60000ms;\n\s+proxy_read_timeout 60000ms;/);
  t.match(text, /location \/lb\/nginx-api\/ \{[^}]*proxy_pass http:\/\/api;[^}]*proxy_next_upstream error timeout;[^}]*proxy_read_timeout 30000ms;/);
  t.match(text, /real_ip_header x-client-addr;/);
  t.match(text, /keepalive 32;/);
  const v = nginxTest((d) => nginxConf(sc, layout(d, { web: [9001, 9002, 9003], api: [9101, 9102, 9103] }), `${d}/access.log`, `${d}/error.log`).text);
  t.ok(v.ok, `nginx -t: ${v.out}`);
});

t.test('every balancing method, delay=, a global key, a per-minute rate and no next_upstream are valid nginx', async (t) => {
  for (const [balancing, directive] of [['least_conn', 'least_conn;'], ['ip_hash', 'ip_hash;'], ['random_two_least_conn', 'random two least_conn;'], ['random', 'random;']]) {
    const sc = parseScenario(parse(`
duration: 10s
traffic: { rate: 5 }
components:
  lb: { kind: loadBalancer, upstream: app, balancing: ${balancing}, weights: [1, 4], nextUpstream: { on: [] }, limitReq: { rate: 5r/m, burst: 7, delay: 3, key: global } }
  app: { kind: pool, instances: 2, workers: 2, serviceTime: 5ms }
`), 'inline.yaml', tmp);
    const { text } = nginxConf(sc, layout(join(tmp, 'y'), { app: [9201, 9202] }), '/y/a.log', '/y/e.log');
    t.match(text, new RegExp(`upstream app \\{\\n\\s+${directive.replace(/ /g, '\\s')}`), balancing);
    t.match(text, /limit_req_zone \$headroom_global zone=lb:10m rate=5r\/m;/);
    t.match(text, /limit_req zone=lb burst=7 delay=3;/);
    t.match(text, /proxy_next_upstream off;/);
    t.match(text, /server 127\.0\.0\.1:9202 weight=4 /);
    const v = nginxTest((d) => nginxConf(sc, layout(d, { app: [9201, 9202] }), `${d}/a.log`, `${d}/e.log`).text);
    t.ok(v.ok, `${balancing}: nginx -t: ${v.out}`);
  }
});

t.test('rates nginx cannot spell exactly are rounded and said so; two balancers on one pool are refused', async (t) => {
  const notes: string[] = [];
  t.equal(nginxRate(12, notes, 'r'), '12r/s');
  t.equal(nginxRate(0.5, notes, 'r'), '30r/m');
  t.equal(nginxRate(0.0123, notes, 'r'), '1r/m');
  t.equal(notes.length, 1);
  const sc = parseScenario(parse(`
duration: 10s
traffic: { rate: 5 }
components:
  a: { kind: loadBalancer, upstream: app }
  b: { kind: loadBalancer, upstream: app }
  app: { kind: pool, instances: 1, workers: 1, serviceTime: 5ms }
`), 'two.yaml', tmp);
  t.throws(() => nginxConf(sc, layout('/z', { app: [1] }), '/z/a', '/z/e'), /two\.yaml: components\.b\.upstream: pool "app" is already behind "a"/);
});

t.test('a pool with no instances is a group whose one server is down (nginx rejects an empty group)', async (t) => {
  const sc = parseScenario(parse(`
duration: 10s
traffic: { rate: 5 }
components:
  lb: { kind: loadBalancer, upstream: app }
  app: { kind: pool, instances: 0, workers: 1, serviceTime: 5ms }
`), 'zero.yaml', tmp);
  const { text } = nginxConf(sc, layout(join(tmp, 'z'), { app: [] }), '/z/a.log', '/z/e.log');
  t.match(text, /server 127\.0\.0\.1:9 down;/);
  const v = nginxTest((d) => nginxConf(sc, layout(d, { app: [] }), `${d}/a.log`, `${d}/e.log`).text);
  t.ok(v.ok, `nginx -t: ${v.out}`);
});
