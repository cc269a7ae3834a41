import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
const dir = mkdtempSync('/tmp/chr-');
const ctx = await chromium.launchPersistentContext(dir, { executablePath: '/usr/bin/chromium', viewport: { width: 1200, height: Number(process.argv[4] || 900) }, args: ['--headless','--no-sandbox','--disable-gpu','--disable-quic','--no-first-run','--disable-background-networking','--disable-component-update','--disable-sync'] });
const p = await ctx.newPage();
await p.goto('file://' + process.argv[2]); await p.waitForTimeout(2500);
await p.screenshot({ path: process.argv[3] });
await ctx.close();
