// Calibration on what a real nginx logged: a Node upstream on 127.0.0.1 that waits a lognormal
// time (median 20 ms, σ 0.3) per request, 300 requests one after another (no queueing), the log
// calibrated with --nginx-log and the result applied by run --calibration.
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampler } from '../../src/sim/distribution.ts';
import { stream } from '../../src/sim/rng.ts';
import { startNginx, upstreamServer } from './nginx-fixture.ts';
import { headroom as cli } from '../cli/spawn.ts';

const headroom = (args: string[]) => cli(args);
const tmp = mkdtempSync(join(tmpdir(), 'headroom-calnginx-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

const delay = sampler({ kind: 'lognormal', mu: Math.log(0.02), sigma: 0.3 }, stream(11, 'delay'));
const app = await upstreamServer((_req, res) => { setTimeout(() => res.end('ok'), delay() * 1000); });
t.teardown(() => app.server.close());
const nginx = await startNginx(join(tmp, 'nginx'), `upstream app_backend { server 127.0.0.1:${app.port}; keepalive 4; }`,
  'location / { proxy_pass http://app_backend; proxy_http_version 1.1; proxy_set_header Connection ""; }');
t.teardown(nginx.stop);

t.test('fit from a real log: the upstream wait recovered, nginx overhead small, then applied', async (t) => {
  for (let i = 0; i < 300; i++) await (await fetch(`http://127.0.0.1:${nginx.port}/x${i}`)).arrayBuffer();
  await nginx.stop();
  writeFileSync(join(tmp, 'stack.yaml'), `duration: 10m
traffic: { rate: 5 }
components:
  nginx: { kind: loadBalancer, upstream: app }
  app: { kind: pool, instances: 1, workers: 4, serviceTime: 50ms }
`);
  const out = join(tmp, 'cal.json');
  const r = headroom(['calibrate', '--nginx-log', nginx.log, '--scenario', join(tmp, 'stack.yaml'), '--pool', 'app_backend=app', '--out', out]);
  t.equal(r.status, 0, r.stderr);
  t.comment(r.stdout.trim());
  const c = JSON.parse(readFileSync(out, 'utf8'));
  const fit = c.pools.app.fit;
  t.equal(fit.n, 300);
  // The upstream waited median 20 ms; nginx adds its proxying and Node's timers ~1 ms: the fitted
  // median must be the wait plus a little, not the 50 ms the scenario said.
  t.ok(fit.quantiles.p50.sample >= 0.02 && fit.quantiles.p50.sample < 0.03, `sample median ${fit.quantiles.p50.sample}`);
  t.ok(Math.abs(fit.quantiles.p50.error) < 0.1, `fitted median within 10 % of the sample's: ${fit.quantiles.p50.error}`);
  t.ok(c.balancers.nginx.fit.mean.sample < 0.003, `nginx overhead mean ${c.balancers.nginx.fit.mean.sample} s`);
  const run = headroom(['run', join(tmp, 'stack.yaml'), '--calibration', out, '--out', join(tmp, 'run'), '--no-html']);
  t.equal(run.status, 0, run.stderr);
  const s = JSON.parse(readFileSync(join(tmp, 'run', 'summary.json'), 'utf8'));
  t.ok(s.latency.p50 > 0.018 && s.latency.p50 < 0.035, `predicted p50 ${s.latency.p50} from the calibrated service time`);
});
