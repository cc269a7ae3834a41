// The Zipf sampler against the exact probability mass function: a chi-square goodness-of-fit test
// per exponent (including s = 1, where H is a logarithm, and s < 1), and the LRU's bookkeeping.
import t from 'tap';
import { ZipfSampler, zipfPmf } from '../../src/sim/zipf.ts';
import { stream } from '../../src/sim/rng.ts';
import { Lru } from '../../src/model/lru.ts';

/** Upper 1 % point of χ² with df degrees of freedom (Wilson–Hilferty). */
function chi2Upper01(df: number): number {
  const z = 2.3263478740408408, a = 2 / (9 * df);
  return df * Math.pow(1 - a + z * Math.sqrt(a), 3);
}

for (const [n, s] of [[50, 0.7], [50, 1], [200, 1.3], [1, 0.9], [7, 3]] as const) {
  t.test(`Zipf n=${n} s=${s}: frequencies fit the pmf (χ², 1 %)`, async (t) => {
    const z = new ZipfSampler(n, s, stream(42, `zipf-${n}-${s}`)), draws = 400_000;
    const count = new Float64Array(n);
    for (let i = 0; i < draws; i++) {
      const k = z.next();
      if (!(k >= 1 && k <= n && Number.isInteger(k))) { t.fail(`rank ${k} outside 1..${n}`); return; }
      count[k - 1]++;
    }
    const p = zipfPmf(n, s);
    let chi = 0;
    for (let k = 0; k < n; k++) chi += (count[k] - draws * p[k]) ** 2 / (draws * p[k]);
    if (n === 1) t.equal(count[0], draws, 'one key: always rank 1');
    else t.ok(chi < chi2Upper01(n - 1), `χ² = ${chi.toFixed(1)} below ${chi2Upper01(n - 1).toFixed(1)} (df ${n - 1})`);
  });
}

t.test('Zipf rejects bad parameters', async (t) => {
  t.throws(() => new ZipfSampler(0, 1, Math.random), /key count/);
  t.throws(() => new ZipfSampler(10, 0, Math.random), /exponent/);
});

t.test('LRU: hits move to the head, the least recent entry is evicted, TTL expires, clear empties', async (t) => {
  const slotOf = new Int32Array(10).fill(-1);
  const lru = new Lru(3, slotOf);
  for (const k of [1, 2, 3]) lru.put(k, 0, Infinity);
  t.ok(lru.get(1, 1), '1 is in');
  lru.put(4, 2, Infinity); // evicts 2, the least recently used (1 was touched)
  t.notOk(lru.get(2, 3), '2 was evicted');
  t.ok(lru.get(3, 3) && lru.get(4, 3) && lru.get(1, 3), '1, 3, 4 remain');
  t.equal(lru.size, 3);
  lru.put(5, 10, 5); // evicts 3 (least recent after the gets above: 3 was touched before 4 and 1)
  t.notOk(lru.get(3, 10), '3 evicted');
  t.ok(lru.get(5, 14.9), '5 alive before its TTL');
  t.notOk(lru.get(5, 15), '5 expired at 10 + 5');
  t.equal(lru.size, 2, 'the expired entry is freed');
  lru.put(6, 16, Infinity);
  lru.put(7, 16, Infinity);
  t.equal(lru.size, 3);
  t.ok(lru.get(6, 17) && lru.get(7, 17), 'the freed entry was reused');
  lru.clear();
  t.equal(lru.size, 0);
  for (const k of [1, 4, 6, 7]) t.notOk(lru.get(k, 20), `${k} gone after clear`);
  t.same([...slotOf], new Array(10).fill(-1), 'the shared key map is empty again');
});
