// A resize from the command line: a release to an instance type that does not exist, or a field
// the pool's sizing does not take, is refused with one line naming the file and the field (and the
// nearest type), exit 2, nothing written.
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { refusedRun } from './spawn.ts';

const tmp = mkdtempSync(join(tmpdir(), 'headroom-resize-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

const resized = `
name: resized
duration: 10m
traffic: { rate: 50 }
components:
  api:
    kind: pool
    instanceType: m6i.large
    serviceTime: 30ms
    deploy: { apiVersion: apps/v1, kind: Deployment, spec: { replicas: 4 } }
releases:
  - { at: 5m, pool: api, instanceType: m6i.xlarge }
`;

const bad: Array<[string, string, RegExp]> = [
  ['unknown type', resized.replace('instanceType: m6i.xlarge', 'instanceType: m6i.xlrage'),
    /^headroom: .*unknown-type\.yaml: releases\[0\]\.instanceType: expected a catalogued instance type \(did you mean "m6i\.xlarge"\?\), got "m6i\.xlrage"$/m],
  ['price beside a type', resized.replace('instanceType: m6i.xlarge', 'instanceType: m6i.xlarge, pricePerHour: 0.1'),
    /price-beside-a-type\.yaml: releases\[0\]\.pricePerHour: expected instanceType \(pool api is sized by its instance type, which sets pricePerHour\), got 0\.1/],
];
for (const [label, text, message] of bad) {
  t.test(`bad resize (${label}): its message, exit 2, nothing written`, async (t) => refusedRun(t, tmp, label, text, message));
}
