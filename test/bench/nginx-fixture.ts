// A real nginx for tests: its own prefix in a temp dir, the headroom log_format, upstreams that
// are tiny Node servers in the test process, everything on 127.0.0.1. stop() ends nginx (and is
// registered with t.teardown by the caller, so it runs on failure too).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { LOG_FORMAT_DIRECTIVE, LOG_FORMAT_NAME } from '../../src/bench/log-format.ts';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export async function upstreamServer(handler: Handler): Promise<{ port: number; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { port: (server.address() as AddressInfo).port, server };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((ok) => s.close(() => ok()));
  return port;
}

export interface Nginx {
  port: number;
  prefix: string;
  log: string;
  stop: () => Promise<void>;
}

/** Starts nginx with `httpBody` (upstream blocks and a server's locations; PORT is replaced). */
export async function startNginx(prefix: string, upstreams: string, locations: string): Promise<Nginx> {
  mkdirSync(join(prefix, 'tmp'), { recursive: true });
  const port = await freePort();
  const log = join(prefix, 'access.log');
  const conf = `
worker_processes 1;
daemon off;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 128; }
http {
  ${LOG_FORMAT_DIRECTIVE}
  access_log ${log} ${LOG_FORMAT_NAME};
  client_body_temp_path ${prefix}/tmp/body;
  proxy_temp_path ${prefix}/tmp/proxy;
  fastcgi_temp_path ${prefix}/tmp/fastcgi;
  uwsgi_temp_path ${prefix}/tmp/uwsgi;
  scgi_temp_path ${prefix}/tmp/scgi;
  ${upstreams}
  server {
    listen 127.0.0.1:${port};
    location = /__ready { access_log off; return 204; }
    ${locations}
  }
}
`;
  const confFile = join(prefix, 'nginx.conf');
  writeFileSync(confFile, conf);
  const child: ChildProcess = spawn('nginx', ['-p', prefix, '-c', confFile, '-e', join(prefix, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  // Ready when it accepts connections; gone if it exits first.
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}${existsSync(join(prefix, 'error.log')) ? readFileSync(join(prefix, 'error.log'), 'utf8') : ''}`);
    try {
      await fetch(`http://127.0.0.1:${port}/__ready`);
      break;
    } catch {
      if (i > 200) throw new Error('nginx did not start listening within 10 s');
      await new Promise((ok) => setTimeout(ok, 50));
    }
  }
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGQUIT'); // graceful: the master flushes and ends its workers
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
  };
  return { port, prefix, log, stop };
}
