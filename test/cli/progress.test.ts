// Progress without a terminal (CI logs): silent for short work, then a line each tenth or 30 s.
import t from 'tap';
import { LINE_DELAY_MS, LINE_EVERY_MS, progressBar } from '../../src/cli/progress.ts';

function fake(isTTY: boolean) {
  const lines: string[] = [];
  let now = 0;
  const sink = { isTTY, write: (s: string) => lines.push(s) };
  return { lines, sink, clock: () => now, advance: (ms: number) => (now += ms) };
}

t.test('a short run prints nothing', async (t) => {
  const f = fake(false);
  const p = progressBar('simulating x', f.sink, f.clock);
  for (let i = 1; i <= 10; i++) {
    f.advance(400);
    p.update(i / 10);
  }
  p.done();
  t.strictSame(f.lines, []);
});

t.test('a long run prints a line each 10 %, or each 30 s when progress is slow', async (t) => {
  const f = fake(false);
  const p = progressBar('simulating x', f.sink, f.clock);
  f.advance(LINE_DELAY_MS - 1);
  p.update(0.05);
  t.strictSame(f.lines, [], 'nothing before the delay');
  f.advance(1);
  p.update(0.05);
  t.strictSame(f.lines, ['simulating x: 5% after 5 s (about 95 s left)\n']);
  f.advance(1000);
  p.update(0.1);
  t.equal(f.lines.length, 1, 'not yet another tenth');
  p.update(0.151);
  t.equal(f.lines.length, 2, 'another tenth done');
  f.advance(LINE_EVERY_MS - 1);
  p.update(0.16);
  t.equal(f.lines.length, 2);
  f.advance(1);
  p.update(0.16);
  t.equal(f.lines.length, 3, '30 s since the last line');
  t.match(f.lines[2], /^simulating x: 16% after 36 s \(about \d+ s left\)\n$/);
});

t.test('on a terminal, a bar redrawn in place', async (t) => {
  const f = fake(true);
  const p = progressBar('simulating x', f.sink, f.clock);
  f.advance(1500);
  p.update(0.5);
  p.done();
  t.match(f.lines[0], /^\rsimulating x \[#{15}-{15}\]  50%/);
  t.equal(f.lines[1], '\r\x1b[K', 'cleared at the end');
});
