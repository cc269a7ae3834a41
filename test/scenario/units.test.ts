import t from 'tap';
import { messageOf } from './helpers.ts';
import { parseBytes, parseCpu, parseDuration, parsePercent, parseRate } from '../../src/scenario/index.ts';
import { parseSeconds } from '../../src/scenario/units.ts';

const at = { file: 'x.yaml', path: 'a.b' };


t.test('parseDuration', async (t) => {
  const cases: Array<[unknown, number]> = [
    ['250ms', 0.25], ['1.5s', 1.5], ['5m', 300], ['24h', 86400], ['2d', 172800], ['90s', 90],
    ['1h30m', 5400], ['1d2h3m4s5ms', 86400 + 7200 + 180 + 4 + 0.005], ['0', 0], [0, 0], ['0s', 0], ['0.0', 0],
    ['500us', 0.0005], ['2.5s', 2.5], ['20ms', 0.02], ['1m30s', 90], ['10ms', 0.01],
  ];
  for (const [input, seconds] of cases) t.ok(Math.abs(parseDuration(input, at) - seconds) < 1e-12, `${String(input)} → ${seconds}`);
  // A bare number other than 0 is refused: 40 could be seconds or milliseconds (issue 8, point 9).
  for (const bad of [40, 90, '90', 2.5, '2.5', 0.02, '-5s', -1, NaN, Infinity, '5 s', '5sec', '5x', '', 'm', '1.s', '.5s', '30m1h', '1s1s', '5ms5s', 'fast', null, true, [], {}, '1e3']) {
    t.equal(messageOf(() => parseDuration(bad, at)), `x.yaml: a.b: expected a duration with a unit like "40ms" or "40s", got ${bad === undefined ? 'nothing' : typeof bad === 'number' && !Number.isFinite(bad) ? String(bad) : JSON.stringify(bad)}`);
  }
  t.equal(messageOf(() => parseDuration(40, { file: 'x.yaml', path: 'components.web.serviceTime.median' })),
    'x.yaml: components.web.serviceTime.median: expected a duration with a unit like "40ms" or "40s", got 40');
  const huge = '9'.repeat(400) + 's';
  t.equal(messageOf(() => parseDuration(huge, at)),
    `x.yaml: a.b: expected a duration with a unit like "40ms" or "40s", got a number too large to compute with ("${huge.slice(0, 58)}…)`,
    'a 400-digit amount overflows to Infinity: refused, not run');
  t.equal(parseDuration('5m'), 300, 'the location is optional');
  t.throws(() => parseDuration('x'), { message: '<input>: value: expected a duration with a unit like "40ms" or "40s", got "x"' });
});

t.test('parsePercent', async (t) => {
  const cases: Array<[unknown, number]> = [
    ['70%', 0.7], ['0.1%', 0.001], ['100%', 1], ['0%', 0], [0.5, 0.5], [0, 0], [1, 1], ['0.25', 0.25], ['1', 1],
  ];
  for (const [input, fraction] of cases) t.ok(Math.abs(parsePercent(input, at) - fraction) < 1e-15, `${String(input)} → ${fraction}`);
  const expected = 'a percentage like "70%" (a bare number is a fraction in [0, 1])';
  for (const bad of [70, 1.5, -0.1, '150%', '-5%', '70 %', '%', 'half', '70', null]) {
    t.equal(messageOf(() => parsePercent(bad, at)), `x.yaml: a.b: expected ${expected}, got ${JSON.stringify(bad)}`);
  }
});

t.test('parseRate', async (t) => {
  const cases: Array<[unknown, number]> = [
    [100, 100], ['100', 100], ['10r/s', 10], ['600r/m', 10], ['5r/m', 5 / 60], ['36r/h', 0.01], [0, 0], ['0.5r/s', 0.5], [2.5, 2.5],
  ];
  for (const [input, rate] of cases) t.ok(Math.abs(parseRate(input, at) - rate) < 1e-15, `${String(input)} → ${rate}`);
  const expected = 'a rate like "10r/s" or "600r/m" (a bare number is requests per second)';
  for (const bad of [-1, '10rps', '10 r/s', '10r/d', '10/s', 'r/s', 'lots', true]) {
    t.equal(messageOf(() => parseRate(bad, at)), `x.yaml: a.b: expected ${expected}, got ${JSON.stringify(bad)}`);
  }
});

t.test('parseBytes', async (t) => {
  const cases: Array<[unknown, number]> = [
    ['256Mi', 256 * 2 ** 20], ['1Gi', 2 ** 30], ['512M', 512e6], ['1k', 1000], ['1Ki', 1024], ['1.5Ki', 1536],
    [1024, 1024], ['2048', 2048], ['1Ti', 2 ** 40], ['0', 0], [0.5, 1],
  ];
  for (const [input, bytes] of cases) t.equal(parseBytes(input, at), bytes, `${String(input)} → ${bytes}`);
  for (const bad of ['128m', '1GB', '1 Gi', '1K', '-1Mi', -5, 'big', null]) {
    t.equal(messageOf(() => parseBytes(bad, at)), `x.yaml: a.b: expected a size like "256Mi", "1Gi" or a number of bytes, got ${JSON.stringify(bad)}`);
  }
});

t.test('parseCpu', async (t) => {
  const cases: Array<[unknown, number]> = [
    ['250m', 250], [1, 1000], ['1', 1000], ['0.5', 500], [0.25, 250], ['2', 2000], ['1500m', 1500], [0.001, 1], ['0m', 0],
  ];
  for (const [input, milli] of cases) t.equal(parseCpu(input, at), milli, `${String(input)} → ${milli}`);
  for (const bad of ['250 m', '1.5m', '0.0005', -1, '1c', 'half', null]) {
    t.equal(messageOf(() => parseCpu(bad, at)), `x.yaml: a.b: expected a CPU quantity like "250m" or 1 (cores), got ${JSON.stringify(bad)}`);
  }
});

t.test('parseSeconds (a CSV time cell): a bare number is seconds, a duration has its unit', async (t) => {
  const cases: Array<[unknown, number]> = [['90', 90], ['2.5', 2.5], ['0', 0], ['90s', 90], ['1h30m', 5400], ['250ms', 0.25], [12, 12]];
  for (const [input, seconds] of cases) t.equal(parseSeconds(input, at), seconds, `${String(input)} → ${seconds}`);
  for (const bad of ['-1', 'soon', '', null, -3]) {
    t.equal(messageOf(() => parseSeconds(bad, at)), `x.yaml: a.b: expected a number of seconds or a duration like "90s", got ${JSON.stringify(bad)}`);
  }
});

t.test('rates and sizes with more digits than a double holds are refused', async (t) => {
  const huge = '9'.repeat(400);
  t.match(messageOf(() => parseRate(`${huge}r/s`, at)), /^x\.yaml: a\.b: expected a rate like "10r\/s".*, got a number too large to compute with/);
  t.match(messageOf(() => parseBytes(`${huge}Mi`, at)), /^x\.yaml: a\.b: expected a size like "256Mi".*, got a number too large to compute with/);
  t.match(messageOf(() => parseRate(Infinity, at)), /got Infinity$/);
});
