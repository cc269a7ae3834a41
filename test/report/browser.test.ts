// Opens the report in Debian's Chromium from a file:// URL: no request may leave the file, no console
// or page errors, every chart rendered; with JavaScript on the live vega views replace the static SVGs,
// with JavaScript off the static SVGs are what the reader sees.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import t from 'tap';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { renderCompare } from '../../src/report/compare.ts';
import { renderHtml } from '../../src/report/html.ts';
import { makeRun } from './fixture.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const HOSTILE = '<img src=x onerror="window.__pwned=1">';

if (!existsSync(CHROMIUM)) {
  const why = `${CHROMIUM} not found: install the Debian package "chromium" (apt-get install chromium) to run the browser test`;
  t.test('report in a real browser', { skip: why }, async () => {});
} else {
  const work = mkdtempSync(join(tmpdir(), 'headroom-report-'));
  const contexts: BrowserContext[] = [];
  t.teardown(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  });

  /** Playwright refuses --user-data-dir in launch args; a persistent context with a fresh directory is the same thing. */
  async function open(javaScriptEnabled: boolean, colorScheme: 'light' | 'dark' = 'light') {
    const profile = mkdtempSync(join(work, 'profile-'));
    const ctx = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, args: ARGS, javaScriptEnabled, colorScheme, viewport: { width: 1000, height: 900 }, offline: true,
    });
    contexts.push(ctx);
    const requests: string[] = [];
    const blocked: string[] = [];
    const errors: string[] = [];
    await ctx.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    ctx.on('request', (r) => requests.push(r.url()));
    ctx.on('dialog', (d) => { errors.push(`dialog: ${d.message()}`); void d.dismiss(); });
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`console.${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    return { ctx, page, requests, blocked, errors };
  }

  async function markCounts(page: Page, scope: string) {
    return page.$$eval('figure.chart', (figs, scope) => figs.map((f) => ({
      id: f.id,
      marks: f.querySelectorAll(`${scope} svg g.mark-line path, ${scope} svg g.mark-area path, ${scope} svg g.mark-rect path, ${scope} svg g.mark-symbol path`).length,
      statics: f.querySelectorAll('.static svg').length,
      lives: f.querySelectorAll('.live svg').length,
    })), scope);
  }

  const CHARTS = ['fig-load', 'fig-latency', 'fig-errors', 'fig-distribution', 'fig-bottleneck', 'fig-instances-0', 'fig-policy-0', 'fig-utilisation', 'fig-queue', 'fig-cost'];
  const { summary, rows } = makeRun({ startTime: '2024-03-05T00:00:00+01:00', description: `Injected? ${HOSTILE}` });
  const file = join(work, 'index.html');
  writeFileSync(file, await renderHtml(summary, rows));
  const url = pathToFileURL(file).href;

  t.test('JavaScript on: live, interactive views replace the static SVGs, nothing fetched', async (t) => {
    const { page, requests, blocked, errors } = await open(true);
    await page.goto(url, { waitUntil: 'load' });
    const ids = await page.$$eval('figure.chart', (fs) => fs.map((f) => f.id));
    t.strictSame(ids, CHARTS, 'the ten charts, the bottleneck strip among them');
    const figures = ids.length;
    await page.waitForFunction((n) => document.querySelectorAll('figure.chart.is-live').length === n, figures, { timeout: 30_000 });
    const counts = await markCounts(page, '.live');
    for (const c of counts) {
      t.ok(c.marks > 0, `${c.id}: live marks drawn (${c.marks})`);
      t.equal(c.statics, 0, `${c.id}: static svg removed`);
      t.equal(c.lives, 1, `${c.id}: one live svg`);
    }
    // the policy chart (what the autoscaler acted on): its panels drawn live, with the target and max lines
    const policy = counts.find((c) => c.id === 'fig-policy-0');
    t.ok(policy && policy.marks >= 3, `policy chart live: metric, wanted and desired lines (${policy?.marks})`);
    const labels = await page.$$eval('#fig-policy-0 .live svg text', (ts) => ts.map((x) => x.textContent));
    t.ok(labels.includes('target 70 %'), 'target line labelled in the live view');
    t.ok(labels.includes('max 12'), 'maximum line labelled in the live view');
    t.ok(labels.includes('wanted'), 'the wish is in the legend');
    // hovering a time chart shows a tooltip (vega-tooltip, inlined)
    await page.locator('#fig-load .live svg').scrollIntoViewIfNeeded();
    const box = await page.locator('#fig-load .live svg').boundingBox();
    t.ok(box, 'live load chart has a box');
    if (box) {
      await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.6);
      await page.mouse.move(box.x + box.width * 0.52, box.y + box.height * 0.6, { steps: 4 });
      await page.waitForSelector('#vg-tooltip-element.visible', { timeout: 5000 }).then(
        () => t.pass('tooltip shown'),
        () => t.fail('tooltip shown'),
      );
    }
    t.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined, 'injected markup did not run');
    mkdirSync(resolve('reports'), { recursive: true });
    await page.mouse.move(0, 0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: resolve('reports/screenshot.png'), fullPage: true });
    t.ok(existsSync(resolve('reports/screenshot.png')), 'screenshot saved to reports/screenshot.png');
    t.strictSame(blocked, [], 'no request to a non-file: URL');
    t.strictSame(requests.filter((u) => !u.startsWith('file:')), [], 'every request is file:');
    t.strictSame(errors, [], 'no console errors, warnings, dialogs or page errors');
  });

  t.test('JavaScript off: the static SVGs are the charts', async (t) => {
    const { page, requests, blocked, errors } = await open(false);
    await page.goto(url, { waitUntil: 'load' });
    const counts = await markCounts(page, '.static');
    t.strictSame(counts.map((c) => c.id), CHARTS);
    for (const c of counts) {
      t.ok(c.marks > 0, `${c.id}: static marks present (${c.marks})`);
      t.equal(c.statics, 1, `${c.id}: static svg shown`);
      t.equal(c.lives, 0, `${c.id}: no live view`);
    }
    t.equal(await page.locator('.hint').first().isVisible(), false, 'interaction hints hidden without JS');
    t.ok(await page.locator('#fig-policy-0 .static svg').isVisible(), 'policy chart shown as static SVG');
    const labels = await page.$$eval('#fig-policy-0 .static svg text', (ts) => ts.map((x) => x.textContent));
    t.ok(labels.includes('target 70 %') && labels.includes('max 12'), 'static policy chart carries its target and max lines');
    const text = await page.locator('.verdict').innerText();
    t.match(text, /1 of 3 SLOs missed/);
    t.strictSame(blocked, []);
    t.strictSame(requests.filter((u) => !u.startsWith('file:')), []);
    t.strictSame(errors, []);
  });

  t.test('dark mode and the comparison page render cleanly too', async (t) => {
    const b = makeRun({ startTime: '2024-03-05T00:00:00+01:00', perInstance: 40, maxInstances: 14 });
    const cfile = join(work, 'compare.html');
    writeFileSync(cfile, await renderCompare([{ label: 'baseline', summary, rows }, { label: 'faster-boot', ...b }]));
    const { page, requests, blocked, errors } = await open(true, 'dark');
    for (const target of [url, pathToFileURL(cfile).href]) {
      await page.goto(target, { waitUntil: 'load' });
      const n = await page.locator('figure.chart').count();
      t.ok(n > 0);
      await page.waitForFunction((n) => document.querySelectorAll('figure.chart.is-live').length === n, n, { timeout: 30_000 });
      const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
      t.not(bg, 'rgb(255, 255, 255)', 'dark background');
      const label = await page.$eval('figure.chart .live svg .role-axis-label text', (el) => getComputedStyle(el).fill);
      t.not(label, 'rgb(0, 0, 0)', `axis labels follow the page colour (${label})`);
    }
    await page.screenshot({ path: resolve('reports/screenshot-compare-dark.png'), fullPage: true });
    t.strictSame(blocked, []);
    t.strictSame(requests.filter((u) => !u.startsWith('file:')), []);
    t.strictSame(errors, []);
  });
}
