// Issue 8's promises on the CI commands (check, sweep, merge, validate) and on the files faults
// brought (deploy manifests): each bad input is one line naming the file and field, exit 2,
// nothing written, no hang; outputs are checked before any work; work too big is refused up front.
import t from 'tap';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cwd, fifo, headroom, mm1, refused } from './bad-input.ts';

const sweep = (scenario: string, parameters: string) => `scenario: ${scenario}
sweep:
  mode: grid
  parameters:
${parameters}
`;

t.test('check: reports and baselines go only where they may, checked before any run', async (t) => {
  refused(t, ['check', 'mm1.yaml', '--junit', '/proc/nope/junit.xml', '--workers', '1'], /^headroom: \/proc\/nope\/junit\.xml: is inside \/proc, a system folder/, 'check --junit /proc/…');
  mkdirSync(join(cwd, 'a-folder'));
  refused(t, ['check', 'mm1.yaml', '--summary', 'a-folder', '--workers', '1'], /^headroom: a-folder: exists and is a folder; name a file$/m, 'check --summary a folder');
  refused(t, ['check', 'mm1.yaml', '--baseline', '/', '--update-baseline', '--replications', '2', '--workers', '1'], /^headroom: \/mm1\.json: is the filesystem root/, 'baselines written into /');
});

t.test('check: work too big is refused per scenario with its estimate; overrides meet the file\'s rules', async (t) => {
  writeFileSync(join(cwd, 'huge.yaml'), mm1((s) => s.replace('rate: 0.8', 'rate: 1e9').replace('name: mm1', 'name: huge')));
  refused(t, ['check', 'mm1.yaml', 'huge.yaml', '--workers', '1'], /^headroom: huge\.yaml: traffic\.rate: too much work to run without asking: about 600 billion requests.*days of CPU.*--force/, 'check of a huge scenario');
  // A closed model's estimate is an upper bound: far above what one worker serves, so check asks, and --force runs it.
  writeFileSync(join(cwd, 'closed.yaml'), 'name: closed\nduration: 10m\ntraffic: { closed: { users: 1000, thinkTime: 1us } }\ncomponents:\n  server: { kind: pool, instances: 1, serviceTime: 1s }\n');
  refused(t, ['check', 'closed.yaml', '--workers', '1'], /^headroom: closed\.yaml: traffic\.closed: too much work to run without asking/, 'check of an overestimated closed model');
  const forced = headroom(['check', 'closed.yaml', '--workers', '1', '--force']);
  t.equal(forced.status, 0, forced.stderr);
  refused(t, ['check', 'mm1.yaml', '--set', 'duration=40', '--workers', '1'], /^headroom: mm1\.yaml: duration: expected a duration with a unit like "40ms" or "40s", got 40 \(from --set duration=40\)$/m, 'check --set duration=40');
  refused(t, ['run', 'mm1.yaml', '--set', 'traffic.rate=1e999'], /^headroom: mm1\.yaml: traffic\.rate: expected a finite number, got Infinity.*\(from --set traffic\.rate=1e999\)$/m, 'run --set traffic.rate=1e999');
  refused(t, ['run', 'mm1.yaml', '--set', 'name=../../../x'], /^headroom: mm1\.yaml: name: expected a name of letters.*\(from --set name=\.\.\/\.\.\/\.\.\/x\)$/m, 'run --set name=../../../x');
});

t.test('sweep and merge: the results folder is checked first; a point that cannot run is refused', async (t) => {
  writeFileSync(join(cwd, 'sw.yaml'), sweep('mm1.yaml', '    n: { path: components.server.instances, values: [1, 2] }'));
  mkdirSync(join(cwd, 'project'));
  writeFileSync(join(cwd, 'project', 'notes.txt'), 'mine');
  refused(t, ['sweep', 'sw.yaml', '--out', 'project', '--workers', '1'], /^headroom: project: is a folder that holds other things than a headroom run \(notes\.txt\)/, 'sweep --out a foreign folder');
  refused(t, ['merge', 'nothing.json', '--out', '/'], /^headroom: \/: is the filesystem root/, 'merge --out /');
  writeFileSync(join(cwd, 'big.yaml'), sweep('mm1.yaml', '    n: { path: components.server.instances, values: [1, 2000000] }'));
  refused(t, ['sweep', 'big.yaml', '--workers', '1'], /^headroom: big\.yaml: sweep\.parameters\.n\.values\[1\]: value 2000000: .*components\.server\.instances: expected at most [\d,]+ instances per pool/, 'a sweep level over the model\'s limit');
  // A sweep folder is headroom's: a second sweep into it is allowed.
  const first = headroom(['sweep', 'sw.yaml', '--out', 'sweeps/sw', '--workers', '1', '--no-html']);
  t.equal(first.status, 0, first.stderr);
  const again = headroom(['sweep', 'sw.yaml', '--out', 'sweeps/sw', '--workers', '1', '--no-html']);
  t.equal(again.status, 0, again.stderr);
  t.ok(existsSync(join(cwd, 'sweeps', 'sw', 'sweep.json')));
});

t.test('FIFOs given as a sweep file, to validate, as a baseline or a deploy manifest are refused, not read', async (t) => {
  t.ok(fifo(join(cwd, 'pipe.yaml')) && fifo(join(cwd, 'stack.yml')), 'mkfifo made two FIFOs');
  refused(t, ['sweep', 'pipe.yaml'], /^headroom: pipe\.yaml: is a FIFO, expected a regular file$/m, 'sweep on a FIFO');
  refused(t, ['validate', 'pipe.yaml'], /^headroom: pipe\.yaml: is a FIFO, expected a regular file$/m, 'validate on a FIFO');
  mkdirSync(join(cwd, 'base'));
  t.ok(fifo(join(cwd, 'base', 'mm1.json')));
  refused(t, ['check', 'mm1.yaml', '--baseline', 'base', '--workers', '1'], /^headroom: base\/mm1\.json: is a FIFO, expected a regular file$/m, 'a FIFO as the baseline');
  writeFileSync(join(cwd, 'deploy.yaml'), mm1((s) => s.replace('instances: 1,', 'deploy: { file: stack.yml },')));
  refused(t, ['run', 'deploy.yaml'], /^headroom: deploy\.yaml: components\.server\.deploy\.file: expected a readable manifest file relative to the scenario, got "stack\.yml" — stack\.yml: is a FIFO, expected a regular file$/m, 'a FIFO as the deploy manifest');
});
