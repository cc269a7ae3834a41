// nginx.conf for the live stack, from the scenario's load balancers. Each loadBalancer becomes an
// `upstream` block named after the POOL it fronts (so the access log's $proxy_host names the pool,
// the contract of ./log-format.ts) and a `location /lb/<balancer>/` that proxies to it:
//   balancing        round_robin → (default), least_conn, ip_hash, `random two least_conn`, random
//   weights          server … weight=N (instances beyond the list: 1, as the model)
//   maxFails/failTimeout  server … max_fails=N fail_timeout=Ns (nginx parses whole seconds)
//   nextUpstream     proxy_next_upstream <on…> | off, proxy_next_upstream_tries / _timeout (0 = unlimited)
//   limitReq         limit_req_zone + limit_req burst= [nodelay | delay=]; key `client` is
//                    $binary_remote_addr, key `global` one shared key
//   pool timeout     proxy_read_timeout (nginx owns the deadline, so a miss is a `timeout`)
//   connectTimeout   proxy_connect_timeout (on loopback a dead port answers with a reset at once,
//                    so the live stack never waits it out; written so the config says what the
//                    scenario says)
// Client addresses: every request reaches nginx from 127.0.0.1, which would put all of them on one
// ip_hash peer and in one limit_req bucket. The driver sends each request's simulated client
// address (the simulator's clientAddress(id), 10.x.y.z) in X-Client-Addr, and the realip module
// (set_real_ip_from 127.0.0.1) makes it $remote_addr: ip_hash and $binary_remote_addr then see
// the scenario's clients, as the model does.
// Keepalive to upstreams (32 idle connections per worker, the Saler guide's value) with HTTP/1.1.
import type { LoadBalancerConfig, PoolConfig, Scenario } from '../scenario/types.ts';
import { LOG_FORMAT_DIRECTIVE, LOG_FORMAT_NAME } from './log-format.ts';
import { HEADER } from './upstream/protocol.ts';

export interface NginxLayout {
  prefix: string; // nginx -p: pid, temp paths and logs live here
  port: number; // the listen port on 127.0.0.1
  /** Upstream ports per pool, in instance order. */
  ports: Record<string, number[]>;
  workerProcesses: number;
}

/** Things the generated config could not say exactly as the scenario does (shown to the user). */
export interface ConfNotes {
  notes: string[];
}

/** The location path of a balancer (the driver and tandem callers send here). */
export const balancerPath = (name: string) => `/lb/${name}/`;

const msec = (s: number) => (Number.isFinite(s) ? `${Math.max(1, Math.round(s * 1000))}ms` : '3600s');

/** limit_req's rate as nginx spells it: whole requests per second or per minute. */
export function nginxRate(rate: number, notes: string[], where: string): string {
  if (Math.abs(rate - Math.round(rate)) < 1e-9 && rate >= 1) return `${Math.round(rate)}r/s`;
  const perMin = rate * 60;
  if (Math.abs(perMin - Math.round(perMin)) < 1e-6 && perMin >= 1) return `${Math.round(perMin)}r/m`;
  const r = Math.max(1, Math.round(perMin));
  notes.push(`${where}: nginx takes whole requests per second or minute; ${rate} r/s written as ${r}r/m`);
  return `${r}r/m`;
}

function balancingDirective(b: LoadBalancerConfig): string | null {
  switch (b.balancing) {
    case 'round_robin': return null;
    case 'least_conn': return 'least_conn;';
    case 'ip_hash': return 'ip_hash;';
    case 'random_two_least_conn': return 'random two least_conn;';
    case 'random': return 'random;';
  }
}

/** A pool's tandem stage (`next: api`), the one form of routes the live stack runs (preflight refuses the others), or null. */
export function nextStage(pool: PoolConfig): string | null {
  return pool.next.length === 1 && pool.next[0].p >= 1 ? pool.next[0].to : null;
}

/** The deadline nginx gives a pool: its own timeout plus what its `next:` chain may take. */
export function chainTimeout(sc: Scenario, pool: PoolConfig, seen = new Set<string>()): number {
  if (seen.has(pool.name)) return pool.timeout;
  seen.add(pool.name);
  const stage = nextStage(pool);
  if (stage === null) return pool.timeout;
  const next = sc.components.find((c) => c.name === stage)!;
  if (next.kind !== 'pool' && next.kind !== 'loadBalancer') return pool.timeout; // a data-tier kind ends the nginx chain
  const after = next.kind === 'pool' ? next : sc.components.find((c) => c.name === next.upstream) as PoolConfig;
  return pool.timeout + chainTimeout(sc, after, seen);
}

function upstreamBlock(b: LoadBalancerConfig, ports: number[], notes: string[]): string[] {
  const lines = [`upstream ${b.upstream} {`];
  const bal = balancingDirective(b);
  if (bal) lines.push(`    ${bal}`);
  lines.push(`    zone ${b.upstream} 256k;`);
  const failTimeout = Math.round(b.failTimeout);
  if (Math.abs(failTimeout - b.failTimeout) > 1e-9) {
    notes.push(`components.${b.name}.failTimeout: nginx counts whole seconds; ${b.failTimeout} s written as ${failTimeout}s`);
  }
  ports.forEach((port, i) => {
    const w = b.weights[i] ?? 1;
    lines.push(`    server 127.0.0.1:${port} weight=${w} max_fails=${b.maxFails} fail_timeout=${failTimeout}s;`);
  });
  // nginx refuses an empty group; a pool scaled to zero is a group whose one server is down (502 "no live upstreams").
  if (ports.length === 0) lines.push('    server 127.0.0.1:9 down;');
  lines.push('    keepalive 32;', '    keepalive_timeout 60s;', '    keepalive_requests 1000000;', '}');
  return lines;
}

function locationBlock(sc: Scenario, b: LoadBalancerConfig, pool: PoolConfig): string[] {
  const lines = [`    location ${balancerPath(b.name)} {`];
  const lr = b.limitReq;
  if (lr) {
    const mode = lr.nodelay ? ' nodelay' : lr.delay > 0 ? ` delay=${lr.delay}` : '';
    lines.push(`        limit_req zone=${b.name} burst=${lr.burst}${mode};`);
  }
  const nu = b.nextUpstream;
  lines.push(
    `        proxy_pass http://${b.upstream};`,
    `        proxy_next_upstream ${nu.on.length > 0 ? nu.on.join(' ') : 'off'};`,
    `        proxy_next_upstream_tries ${nu.tries};`,
    `        proxy_next_upstream_timeout ${nu.timeout > 0 ? msec(nu.timeout) : '0'};`,
    `        proxy_connect_timeout ${msec(b.connectTimeout)};`,
    `        proxy_read_timeout ${msec(chainTimeout(sc, pool))};`,
    '    }',
  );
  return lines;
}

/** The whole nginx.conf. Throws on a scenario nginx cannot express (two balancers on one pool). */
export function nginxConf(sc: Scenario, layout: NginxLayout, accessLog: string, errorLog: string): { text: string } & ConfNotes {
  const notes: string[] = [];
  const balancers = sc.components.filter((c): c is LoadBalancerConfig => c.kind === 'loadBalancer');
  const pools = new Map(sc.components.filter((c): c is PoolConfig => c.kind === 'pool').map((p) => [p.name, p]));
  const fronted = new Map<string, string>();
  for (const b of balancers) {
    const other = fronted.get(b.upstream);
    if (other !== undefined) {
      throw new Error(`${sc.file}: components.${b.name}.upstream: pool "${b.upstream}" is already behind "${other}"; the live stack gives each pool one nginx upstream block (named after the pool), so one balancer per pool`);
    }
    fronted.set(b.upstream, b.name);
  }
  const p = layout.prefix;
  const out: string[] = [
    '# Generated by headroom bench from ' + sc.file + ' — the scenario\'s load balancers as nginx sees them.',
    'daemon off;',
    'master_process on;',
    `worker_processes ${layout.workerProcesses};`,
    `pid ${p}/nginx.pid;`,
    `error_log ${errorLog} warn;`,
    'events { worker_connections 8192; }',
    'http {',
    `    ${LOG_FORMAT_DIRECTIVE}`,
    `    access_log ${accessLog} ${LOG_FORMAT_NAME} buffer=64k flush=1s;`,
    `    client_body_temp_path ${p}/tmp/client_body;`,
    `    proxy_temp_path ${p}/tmp/proxy;`,
    `    fastcgi_temp_path ${p}/tmp/fastcgi;`,
    `    uwsgi_temp_path ${p}/tmp/uwsgi;`,
    `    scgi_temp_path ${p}/tmp/scgi;`,
    '    keepalive_timeout 65s;',
    '    keepalive_requests 1000000;',
    '    server_tokens off;',
    '    proxy_http_version 1.1;',
    '    proxy_set_header Connection "";',
    `    proxy_set_header ${HEADER.via} nginx;`,
    '    limit_req_status 503;',
    '    limit_req_log_level notice;',
    // On nginx's own 502s the driver needs $upstream_addr to tell "no live upstreams" from "all tries refused".
    `    map $status $headroom_upstream { 502 $upstream_addr; default ""; }`,
    `    add_header ${HEADER.upstream} $headroom_upstream always;`,
    '    map $scheme $headroom_global { default global; }',
  ];
  for (const b of balancers) {
    if (!b.limitReq) continue;
    const key = b.limitReq.key === 'client' ? '$binary_remote_addr' : '$headroom_global';
    out.push(`    limit_req_zone ${key} zone=${b.name}:10m rate=${nginxRate(b.limitReq.rate, notes, `components.${b.name}.limitReq.rate`)};`);
  }
  for (const b of balancers) out.push(...upstreamBlock(b, layout.ports[b.upstream] ?? [], notes).map((l) => '    ' + l));
  out.push(
    '    server {',
    `        listen 127.0.0.1:${layout.port} backlog=4096;`,
    '        set_real_ip_from 127.0.0.1;',
    `        real_ip_header ${HEADER.client};`,
    '        location = /headroom-ready { access_log off; return 204; }',
  );
  for (const b of balancers) out.push(...locationBlock(sc, b, pools.get(b.upstream)!).map((l) => '    ' + l));
  out.push('    }', '}', '');
  return { text: out.join('\n'), notes };
}
