// A check's results for a person (terminal), a CI server (JUnit XML), a pull request (Markdown
// for a comment or $GITHUB_STEP_SUMMARY) and GitHub Actions (workflow-command annotations).
import { XMLBuilder } from 'fast-xml-parser';
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isNode } from 'yaml';
import { regressions, sloStatus, type CheckReport, type ScenarioCheck } from './check.ts';
import { changeText, figureVerdictText, neededText, op, sloValueText, verdictWord } from './words.ts';
import { fmtSloValue } from '../report/format.ts';

function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(w[i])).join('  ').trimEnd();
  return [line(head), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line)].join('\n');
}

export interface Tally {
  slos: number;
  passed: number;
  failed: number;
  inconclusive: number;
  regressions: number;
}

export function tally(r: CheckReport): Tally {
  const all = r.scenarios.flatMap((c) => c.slo.map(sloStatus));
  return {
    slos: all.length,
    passed: all.filter((s) => s === 'pass').length,
    failed: all.filter((s) => s === 'fail').length,
    inconclusive: all.filter((s) => s === 'inconclusive').length,
    regressions: r.scenarios.reduce((n, c) => n + regressions(c).length, 0),
  };
}

export function terminalText(r: CheckReport): string {
  const out: string[] = [];
  const rows = r.scenarios.flatMap((c) => c.slo.map((s) => [c.name, s.name, verdictWord(s), sloValueText(s, c.currency) + (neededText(s) ? `; ${neededText(s)}` : '')]));
  out.push(rows.length > 0 ? table(['scenario', 'SLO', 'verdict', 'value'], rows) : 'no SLOs stated in these scenarios');
  const withBase = r.scenarios.filter((c) => c.baseline !== undefined);
  if (withBase.length > 0) {
    out.push('');
    const brow: string[][] = [];
    for (const c of withBase) {
      const b = c.baseline!;
      if (b.kind === 'missing') brow.push([c.name, '–', '–', `no baseline at ${b.file} (write one with --update-baseline)`]);
      else if (b.kind === 'written') brow.push([c.name, '–', '–', `baseline written: ${b.file}`]);
      else for (const x of b.comparisons) brow.push([c.name, x.metric, changeText(x, c.currency), figureVerdictText(x)]);
    }
    out.push(table(['scenario', 'figure vs baseline', 'change', 'verdict'], brow));
  }
  const t = tally(r);
  out.push('', `check: ${r.scenarios.length} scenario${r.scenarios.length === 1 ? '' : 's'}, ${t.slos} SLOs: ${t.passed} passed, ${t.failed} failed, ${t.inconclusive} inconclusive` +
    (withBase.length > 0 ? `; ${t.regressions} regression${t.regressions === 1 ? '' : 's'} against the baseline` : ''));
  for (const c of r.scenarios) {
    for (const s of c.slo) if (sloStatus(s) !== 'pass') out.push(`${verdictWord(s)}  ${c.file}: ${s.name}: ${sloValueText(s, c.currency)}`);
    for (const x of regressions(c)) out.push(`REGRESSION  ${c.file}: ${x.metric} ${changeText(x, c.currency)}, ${figureVerdictText(x)}`);
  }
  return out.join('\n');
}

/** XML 1.0 cannot carry most control characters at all: drop them. */
const clean = (s: string) => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');

/** JUnit XML: a testsuite per scenario, a testcase per SLO (and per key figure against a baseline). */
export function junitXml(r: CheckReport, inconclusiveFails: boolean): string {
  let tests = 0, failures = 0, skipped = 0;
  const suites = r.scenarios.map((c) => {
    const cases: object[] = [];
    let sf = 0, ss = 0;
    for (const s of c.slo) {
      const st = sloStatus(s);
      const tc: Record<string, unknown> = { '@_name': clean(`SLO ${s.name}`), '@_classname': clean(c.name), '@_file': clean(c.file) };
      const msg = clean(sloValueText(s, c.currency));
      if (st === 'fail' || (st === 'inconclusive' && inconclusiveFails)) {
        tc.failure = { '@_type': st, '@_message': msg, '#text': clean(`${verdictWord(s)}: ${msg}${neededText(s) ? `; ${neededText(s)}` : ''}`) };
        sf++;
      } else if (st === 'inconclusive') {
        tc.skipped = { '@_message': clean(`inconclusive: ${msg}; ${neededText(s)}`) };
        ss++;
      }
      cases.push(tc);
    }
    if (c.baseline?.kind === 'compared') {
      for (const x of c.baseline.comparisons) {
        const tc: Record<string, unknown> = { '@_name': clean(`baseline ${x.metric}`), '@_classname': clean(c.name), '@_file': clean(c.file) };
        if (x.verdict === 'worse') {
          tc.failure = { '@_type': 'regression', '@_message': clean(`${x.metric} ${changeText(x, c.currency)}, ${figureVerdictText(x)}`) };
          sf++;
        }
        cases.push(tc);
      }
    }
    tests += cases.length; failures += sf; skipped += ss;
    return { '@_name': clean(c.name), '@_file': clean(c.file), '@_tests': cases.length, '@_failures': sf, '@_errors': 0, '@_skipped': ss, testcase: cases };
  });
  const doc = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: { '@_name': 'headroom check', '@_tests': tests, '@_failures': failures, '@_errors': 0, '@_skipped': skipped, testsuite: suites },
  };
  return new XMLBuilder({ ignoreAttributes: false, format: true, suppressEmptyNode: true }).build(doc);
}

const mdCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Markdown for a pull-request comment or $GITHUB_STEP_SUMMARY. */
export function markdown(r: CheckReport, inconclusiveFails: boolean): string {
  const t = tally(r);
  const bad = t.failed > 0 || t.regressions > 0 || (inconclusiveFails && t.inconclusive > 0);
  const out: string[] = [];
  out.push(`### headroom check ${bad ? '❌' : '✅'} ${t.passed} of ${t.slos} SLOs passed` +
    (t.failed ? `, ${t.failed} failed` : '') + (t.inconclusive ? `, ${t.inconclusive} inconclusive` : '') +
    (t.regressions ? `, ${t.regressions} regression${t.regressions === 1 ? '' : 's'} against the baseline` : ''), '');
  if (t.slos > 0) {
    out.push('| scenario | SLO | verdict | value | bound |', '| --- | --- | --- | --- | --- |');
    for (const c of r.scenarios) {
      for (const s of c.slo) {
        const icon = s.judgement.verdict === 'pass' ? '✅' : s.judgement.verdict === 'fail' ? '❌' : '⚠️';
        const f = (v: number) => fmtSloValue(s.metric, v, c.currency);
        const j = s.judgement;
        const value = j.n === 1 ? f(j.mean) : `${f(j.mean)} (95% CI ${f(j.low)} – ${f(j.high)}, n = ${j.n})`;
        out.push(`| ${mdCell(c.name)} | ${mdCell(s.name)} | ${icon} ${verdictWord(s).toLowerCase()}${neededText(s) ? ` — ${neededText(s)}` : ''} | ${mdCell(value)} | ${op(s.op)} ${mdCell(f(s.threshold))} |`);
      }
    }
  }
  const compared = r.scenarios.filter((c) => c.baseline !== undefined);
  if (compared.length > 0) {
    out.push('', '#### Against the baseline', '', '| scenario | figure | change | verdict |', '| --- | --- | --- | --- |');
    for (const c of compared) {
      const b = c.baseline!;
      if (b.kind !== 'compared') out.push(`| ${mdCell(c.name)} | – | – | ${b.kind === 'missing' ? 'no baseline yet' : 'baseline written'} |`);
      else for (const x of b.comparisons) out.push(`| ${mdCell(c.name)} | ${x.metric} | ${mdCell(changeText(x, c.currency))} | ${x.verdict === 'worse' ? '❌ ' : ''}${figureVerdictText(x)} |`);
    }
    out.push('', '_Changes are judged on run-to-run noise: Welch\'s t per figure, Holm-corrected so an unchanged scenario raises a false alarm in at most 5% of checks._');
  }
  return out.join('\n') + '\n';
}

/** GitHub's workflow-command escaping (actions/toolkit, command.ts). */
const escData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escProp = (s: string) => escData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** The line of `slo[k]` in the scenario file (1-based), for an annotation that points at it. */
function sloLine(file: string, k: number): number | undefined {
  try {
    const lc = new LineCounter();
    const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lc });
    const node = doc.getIn(['slo', k], true);
    return isNode(node) && node.range ? lc.linePos(node.range[0]).line : undefined;
  } catch {
    return undefined;
  }
}

/** `::error file=…,line=…,title=…::message` lines for GitHub Actions. */
export function annotations(r: CheckReport, inconclusiveFails: boolean): string[] {
  const lines: string[] = [];
  const emit = (level: 'error' | 'warning', c: ScenarioCheck, title: string, message: string, line?: number) =>
    lines.push(`::${level} file=${escProp(c.file)}${line ? `,line=${line}` : ''},title=${escProp(title)}::${escData(message)}`);
  for (const c of r.scenarios) {
    c.slo.forEach((s, k) => {
      const st = sloStatus(s);
      if (st === 'pass') return;
      const level = st === 'fail' || inconclusiveFails ? 'error' : 'warning';
      emit(level, c, `SLO ${st === 'fail' ? 'failed' : 'inconclusive'}: ${s.name}`, sloValueText(s, c.currency) + (neededText(s) ? `; ${neededText(s)}` : ''), sloLine(c.file, k));
    });
    for (const x of regressions(c)) emit('error', c, `Regression: ${x.metric}`, `${x.metric} ${changeText(x, c.currency)} against ${c.baseline!.file}, ${figureVerdictText(x)}`);
    if (c.baseline?.kind === 'missing') emit('warning', c, 'No baseline', `no baseline at ${c.baseline.file}: run headroom check --baseline DIR --update-baseline`);
  }
  return lines;
}
