import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { compareCommand } from '../../src/cli/compare.ts';
import { reportCommand } from '../../src/cli/report.ts';
import { loadRun, writeCompare, writeFileAtomic, writeReport } from '../../src/report/files.ts';
import { writeSeriesCsv } from '../../src/report/series-csv.ts';
import { makeRun } from './fixture.ts';

const work = mkdtempSync(join(tmpdir(), 'headroom-files-'));
t.teardown(() => rmSync(work, { recursive: true, force: true }));

function runDir(name: string, opts = {}) {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  const { summary, rows } = makeRun(opts);
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary, null, 2));
  writeFileSync(join(dir, 'timeseries.csv'), writeSeriesCsv(rows));
  return { dir, summary, rows };
}

async function capture(fn: () => Promise<void>) {
  const out: string[] = [];
  const err: string[] = [];
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  const code = process.exitCode;
  process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => (err.push(String(s)), true)) as typeof process.stderr.write;
  try {
    await fn();
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
  const exit = process.exitCode;
  process.exitCode = code;
  return { out: out.join(''), err: err.join(''), exit };
}

t.test('loadRun reads back what was written; writeReport re-renders index.html atomically', async (t) => {
  const { dir, summary, rows } = runDir('a');
  const loaded = await loadRun(dir);
  t.strictSame(loaded.summary, JSON.parse(JSON.stringify(summary)));
  t.strictSame(loaded.rows, rows);
  const out = await writeReport(dir);
  t.equal(out, join(dir, 'index.html'));
  t.match(readFileSync(out, 'utf8'), /^<!doctype html>/);
  t.strictSame(readdirSync(dir).sort(), ['index.html', 'summary.json', 'timeseries.csv'], 'no temp files left');
});

t.test('clear errors', async (t) => {
  const missing = join(work, 'nope');
  await t.rejects(loadRun(missing), { message: `${missing}: no such run directory` });
  const empty = join(work, 'empty');
  mkdirSync(empty);
  await t.rejects(loadRun(empty), { message: new RegExp(`^${empty}/(summary\\.json|timeseries\\.csv): not found$`) });
  const { dir } = runDir('broken');
  writeFileSync(join(dir, 'summary.json'), '{"scenario":');
  await t.rejects(loadRun(dir), { message: new RegExp(`^${dir}/summary\\.json: invalid JSON`) });
  writeFileSync(join(dir, 'summary.json'), '{"hello": 1}');
  await t.rejects(loadRun(dir), { message: `${dir}/summary.json: not a headroom run summary (missing "scenario")` });
  const { dir: d2 } = runDir('badcsv');
  writeFileSync(join(d2, 'timeseries.csv'), 'time,component\n');
  await t.rejects(loadRun(d2), { message: /timeseries\.csv: line 1: header lacks column\(s\) offered/ });
  rmSync(join(d2, 'timeseries.csv'));
  await t.rejects(loadRun(d2), { message: `${d2}/timeseries.csv: not found` });
});

t.test('writeFileAtomic leaves nothing half-written on failure', async (t) => {
  const dir = join(work, 'atomic');
  mkdirSync(dir);
  await writeFileAtomic(join(dir, 'x.html'), 'one');
  await writeFileAtomic(join(dir, 'x.html'), 'two');
  t.equal(readFileSync(join(dir, 'x.html'), 'utf8'), 'two');
  mkdirSync(join(dir, 'isdir'));
  await t.rejects(writeFileAtomic(join(dir, 'isdir'), 'three'));
  t.strictSame(readdirSync(dir).sort(), ['isdir', 'x.html'], 'temp file removed after a failed rename');
});

t.test('CLI: report and compare', async (t) => {
  const a = runDir('policy-a');
  const b = runDir('policy-b', { maxInstances: 9 });
  let r = await capture(() => reportCommand.handler({ dir: a.dir, _: [], $0: 'headroom' } as never) as Promise<void>);
  t.equal(r.out.trim(), join(a.dir, 'index.html'));
  t.equal(r.exit, undefined);
  r = await capture(() => reportCommand.handler({ dir: join(work, 'missing'), _: [], $0: 'headroom' } as never) as Promise<void>);
  t.match(r.err, /^headroom report: .*missing: no such run directory/);
  t.equal(r.exit, 2, 'exit code 2 on error');
  const outFile = join(work, 'out', 'cmp.html');
  r = await capture(() => compareCommand.handler({ runs: [a.dir, b.dir], out: outFile, _: [], $0: 'headroom' } as never) as Promise<void>);
  t.equal(r.out.trim().split('\n').at(-1), `written: ${outFile}`, 'the table, then where the page went');
  t.match(r.out, /^metric\s+policy-a \(baseline\)\s+policy-b$/m);
  const html = readFileSync(outFile, 'utf8');
  t.match(html, /policy-a/);
  t.match(html, /policy-b/);
  r = await capture(() => compareCommand.handler({ runs: [a.dir], out: outFile, _: [], $0: 'headroom' } as never) as Promise<void>);
  t.match(r.err, /headroom compare: needs at least two run directories/);
  t.equal(r.exit, 2);
  t.equal(compareCommand.command, 'compare <runs..>');
  t.equal(reportCommand.command, 'report <dir>');
  await t.rejects(writeCompare([a.dir], outFile), /at least two/);
  t.ok(existsSync(outFile));
});

t.test('a summary written before an error cause existed reads that cause as 0', async (t) => {
  const { dir, summary } = runDir('old-causes');
  const old = JSON.parse(JSON.stringify(summary));
  // As a writer that knew only three causes: the fourth is absent everywhere.
  delete old.totals.errors.noUpstream;
  for (const c of Object.values(old.components) as Array<{ errors: Record<string, number> }>) delete c.errors.noUpstream;
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(old));
  const loaded = await loadRun(dir);
  t.equal(loaded.summary.totals.errors.noUpstream, 0);
  t.ok(Object.values(loaded.summary.components).every((c) => c.errors.noUpstream === 0));
  t.equal(loaded.summary.totals.errors.timeout, summary.totals.errors.timeout, 'the others as written');
});
