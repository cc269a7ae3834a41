// `headroom init [FILE]`: writes a commented starter scenario — a web service behind nginx,
// scaled by a Kubernetes HPA through an evening peak — that runs as written (in a few seconds)
// and says on each line what to change. It never overwrites a file.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { fail } from './errors.ts';

interface InitArgs {
  file: string;
}

export function starterScenario(name: string, file: string): string {
  return `# A starter scenario from \`headroom init\`. Run it:   npx headroom run ${file}
# Then change one thing at a time (the traffic, the fleet, the policy) and compare the runs:
#   npx headroom compare reports/${name} reports/<other-run>
# Durations carry a unit (250ms, 90s, 5m, 3h); rates are requests per second (or "600r/m").
name: ${name}                 # results go to reports/<name>/ (letters, digits, . - _)
description: A web service behind nginx, scaled by a Kubernetes HPA through the evening peak
seed: 1                       # same seed, same results, byte for byte
duration: 2h                  # simulated time
warmup: 5m                    # requests before this are left out of the latency figures
sampleInterval: 30s           # one row of timeseries.csv per component per 30 s
startTime: "2026-11-27T18:00:00Z"   # optional: a wall clock; then curve times may be clock times (UTC)

traffic:
  # Requests per second reaching nginx: a daily sine peaking at 20:00 UTC, and a flash crowd at 19:00.
  rate:
    sum:
      - { diurnal: { min: 40, max: 240, peakHour: 20 } }
      - { spike: { base: 0, peak: 300, at: "19:00", rise: 2m, hold: 5m, decay: 3m } }
  clients: 5000               # distinct client addresses (matters to ip_hash and per-client limit_req)
  mix:                        # request classes: their share and where they enter
    - { name: page, weight: 80, entry: nginx }
    - { name: search, weight: 20, entry: nginx, serviceTimeScale: 2 }   # twice the work of a page

components:
  nginx:
    kind: loadBalancer        # nginx upstream semantics
    upstream: web
    balancing: least_conn     # round_robin | least_conn | ip_hash | random_two_least_conn | random
    maxFails: 3               # nginx max_fails / fail_timeout: a peer refusing 3 times in 30 s is out for 30 s
    failTimeout: 30s
    nextUpstream: { on: [error, timeout], tries: 2, timeout: 10s }   # proxy_next_upstream
  web:
    kind: pool                # identical instances, each serving \`workers\` requests at a time
    instances: 3              # at the start, all ready
    workers: 8
    backlog: 100              # requests an instance queues beyond its busy workers; more are refused
    serviceTime: { dist: lognormal, median: 40ms, p99: 300ms }
    timeout: 30s              # 504 after this long at an instance
    bootTime: 60s             # a new instance is billed from its creation...
    readinessDelay: 10s       # ...and serves after boot + readiness
    pricePerHour: 0.0416      # per instance-hour, in USD (set \`currency:\` at the top for another)
    cpuRequest: 250m          # the HPA's utilisation is relative to this
    cpuLimit: 500m            # CPU an instance uses with every worker busy
    autoscaling:              # the manifest you apply in production, as is (or { file: hpa.yaml })
      apiVersion: autoscaling/v2
      kind: HorizontalPodAutoscaler
      metadata: { name: web }
      spec:
        scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
        minReplicas: 3
        maxReplicas: 30
        metrics:
          - type: Resource
            resource: { name: cpu, target: { type: Utilization, averageUtilization: 70 } }

slo:                          # what the run is judged against: exit code 1 when one fails
  - { metric: latency.p99, max: 500ms }
  - { metric: errorRate, max: 0.5% }
  - { metric: cost, max: 5 }  # in the scenario's currency
`;
}

/** Writes the starter scenario to `file`; refuses to overwrite anything. Returns the text written. */
export async function writeStarter(file: string): Promise<string> {
  // Loaded here, not at the top: --help must not load the scenario parser (see main.ts).
  const { defaultName } = await import('../scenario/parse.ts');
  const ext = path.extname(file).toLowerCase();
  if (ext !== '.yaml' && ext !== '.yml') throw new Error(`${file}: expected a file name ending in .yaml or .yml`);
  const text = starterScenario(defaultName(file), file);
  try {
    writeFileSync(file, text, { flag: 'wx' }); // wx: fails if the file exists, whatever it is
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new Error(`${file}: already exists; headroom init never overwrites a file (name another one: headroom init FILE)`);
    if (code === 'ENOENT') throw new Error(`${file}: the folder ${path.dirname(file)} does not exist`);
    throw new Error(`${file}: cannot write (${code ?? (e as Error).message})`);
  }
  return text;
}

export const initCommand: CommandModule<object, InitArgs> = {
  command: 'init [file]',
  describe: 'Write a commented starter scenario (default scenario.yaml) to run and change',
  builder: (y) =>
    y.positional('file', { type: 'string', default: 'scenario.yaml', describe: 'where to write it (never overwritten)' }) as never,
  handler: async (argv) => {
    try {
      await writeStarter(argv.file);
      process.stdout.write(`written: ${argv.file}\nnext:    npx headroom run ${argv.file}\n`);
    } catch (e) {
      fail(e);
    }
  },
};
