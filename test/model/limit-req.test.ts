import t from 'tap';
import fc from 'fast-check';
import { LimitReq } from '../../src/model/limit-req.ts';

const REJECT = -1;

t.test('rate storage (ngx_http_limit_req_zone): milli-requests per second, integer', async (t) => {
  t.equal(new LimitReq({ rate: 10, burst: 5, nodelay: true, keys: 1 }).rate, 10000);
  // rate=5r/m: 5 * 1000 / 60 = 83 (C integer division)
  t.equal(new LimitReq({ rate: 5 / 60, burst: 0, nodelay: false, keys: 1 }).rate, 83);
  // rate=1r/m: 1000 / 60 = 16
  t.equal(new LimitReq({ rate: 1 / 60, burst: 0, nodelay: false, keys: 1 }).rate, 16);
  t.equal(new LimitReq({ rate: 10, burst: 5, nodelay: true, keys: 1 }).burst, 5000);
  t.throws(() => new LimitReq({ rate: 0, burst: 1, nodelay: true, keys: 1 }));
});

t.test('10r/s burst=5 nodelay: exactly the requests nginx rejects (ngx_http_limit_req_lookup)', async (t) => {
  const lr = new LimitReq({ rate: 10, burst: 5, nodelay: true, keys: 1 });
  // 20 requests at t=0 (ms = 0 between them, and `last` is not moved when ms == 0):
  //   #1  new node: excess 0, last = 0                     pass
  //   #2  0    - 0 + 1000 = 1000 <= 5000                   pass
  //   #3..#6: 2000, 3000, 4000, 5000 (5000 is not > 5000)  pass
  //   #7  5000 + 1000 = 6000 > 5000                        reject (node not updated)
  //   ... #8..#20 identical                                reject
  const burst0: number[] = [];
  for (let i = 0; i < 20; i++) burst0.push(lr.admit(0, 0));
  t.same(burst0, [0, 0, 0, 0, 0, 0, ...new Array(14).fill(REJECT)]);
  t.equal(lr.excessOf(0), 5000);
  // then one every 50 ms (t = 0.05 .. 1.00). Leak = 10000 * ms / 1000 = 10 per ms.
  //   t=0.05: ms = 50  (last is still 0): 5000 - 500  + 1000 = 5500 > 5000  reject (last stays 0)
  //   t=0.10: ms = 100:                    5000 - 1000 + 1000 = 5000        pass, last = 100
  //   t=0.15: ms = 50:                     5500                              reject
  //   t=0.20: ms = 100:                    5000                              pass ...
  // i.e. exactly every other request: the 10 r/s rate.
  const drip: number[] = [];
  for (let k = 1; k <= 20; k++) drip.push(lr.admit(0, (k * 50) / 1000));
  t.same(drip, Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? REJECT : 0)));
  t.equal(lr.excessOf(0), 5000);
  // idle until t=2.0: ms = 1000, 5000 - 10000 + 1000 < 0 -> 0: pass; then 6 more at once -> 1000..5000 pass, 6000 reject
  const again: number[] = [];
  for (let i = 0; i < 8; i++) again.push(lr.admit(0, 2));
  t.same(again, [0, 0, 0, 0, 0, 0, REJECT, REJECT]);
  // the 1000-leak-per-100ms at a 30 ms cadence: 5000 -> t=2.03: 5000-300+1000 = 5700 reject; t=2.06: ms=60, 5400 reject;
  // t=2.09: ms=90, 5100 reject; t=2.12: ms=120, 4800 pass (last=2120); t=2.15: ms=30, 5500 reject
  const cadence: number[] = [];
  for (const at of [2.03, 2.06, 2.09, 2.12, 2.15]) cadence.push(lr.admit(0, at));
  t.same(cadence, [REJECT, REJECT, REJECT, 0, REJECT]);
  t.equal(lr.excessOf(0), 4800);
});

t.test('10r/s burst=5 without nodelay: the delays nginx computes (ngx_http_limit_req_account)', async (t) => {
  // delay_ms = (excess - delay*1000) * 1000 / rate when excess > delay*1000; delay defaults to 0
  const lr = new LimitReq({ rate: 10, burst: 5, nodelay: false, keys: 1 });
  const got: number[] = [];
  for (let i = 0; i < 7; i++) got.push(lr.admit(0, 0));
  // excess 0, 1000, 2000, 3000, 4000, 5000 -> 0, 100, 200, 300, 400, 500 ms; the 7th (6000) is rejected
  t.same(got, [0, 0.1, 0.2, 0.3, 0.4, 0.5, REJECT]);
  // t=0.25: ms = 250: 5000 - 2500 + 1000 = 3500 -> 350 ms
  t.equal(lr.admit(0, 0.25), 0.35);
  // t=10: fully drained -> excess 0 -> no delay
  t.equal(lr.admit(0, 10), 0);
});

t.test('delay= (two-stage limiting) and integer-ms truncation', async (t) => {
  // burst=5 delay=3: the first 3 excess requests pass undelayed: excess 0..3000 -> 0; 4000 -> 100 ms; 5000 -> 200 ms
  const lr = new LimitReq({ rate: 10, burst: 5, nodelay: false, delay: 3, keys: 1 });
  const got: number[] = [];
  for (let i = 0; i < 7; i++) got.push(lr.admit(0, 0));
  t.same(got, [0, 0, 0, 0, 0.1, 0.2, REJECT]);
  // rate=3r/s: excess 1000 -> 1000 * 1000 / 3000 = 333 ms (truncated), 2000 -> 666 ms
  const r3 = new LimitReq({ rate: 3, burst: 2, nodelay: false, keys: 1 });
  t.same([r3.admit(0, 0), r3.admit(0, 0), r3.admit(0, 0), r3.admit(0, 0)], [0, 0.333, 0.666, REJECT]);
});

t.test('rate=5r/m is stored as 83 milli-r/s, so the next request needs 12.049 s, not 12 s', async (t) => {
  const lr = new LimitReq({ rate: 5 / 60, burst: 0, nodelay: false, keys: 1 });
  t.equal(lr.admit(0, 0), 0, 'first request creates the node with excess 0');
  // t=12.000: 83 * 12000 / 1000 = 996 -> 0 - 996 + 1000 = 4 > 0 (burst 0) -> reject (node untouched)
  t.equal(lr.admit(0, 12), REJECT);
  // t=12.048: 83 * 12048 = 999984 -> 999 -> excess 1 -> reject
  t.equal(lr.admit(0, 12.048), REJECT);
  // t=12.049: 83 * 12049 = 1000067 -> 1000 -> excess 0 -> pass
  t.equal(lr.admit(0, 12.049), 0);
  t.equal(lr.excessOf(0), 0);

  // the per-update truncation loses leak: burst=1, requests 5 ms apart leak 83*5/1000 = 0 each time,
  // and `last` still moves (ms != 0), so the fractional 0.415 is gone for good.
  const q = new LimitReq({ rate: 5 / 60, burst: 1, nodelay: true, keys: 1 });
  t.equal(q.admit(0, 0), 0);
  t.equal(q.admit(0, 0.005), 0); // 0 - 0 + 1000 = 1000
  t.equal(q.admit(0, 0.01), REJECT); // 1000 - 0 + 1000 = 2000 > 1000
  // 12.05 s after the last update (0.005): 83 * 12050 / 1000 = 1000 -> 1000 - 1000 + 1000 = 1000 -> pass
  t.equal(q.admit(0, 12.055), 0);
});

t.test('keys are independent buckets ($binary_remote_addr)', async (t) => {
  const lr = new LimitReq({ rate: 1, burst: 1, nodelay: true, keys: 3 });
  t.same([lr.admit(0, 0), lr.admit(0, 0), lr.admit(0, 0)], [0, 0, REJECT]);
  t.same([lr.admit(1, 0), lr.admit(1, 0), lr.admit(1, 0)], [0, 0, REJECT]);
  t.equal(lr.excessOf(2), -1, 'no node for a key never seen');
  t.throws(() => lr.admit(3, 0));
});

t.test('LRU expiry of idle nodes (ngx_http_limit_req_expire) changes the outcome exactly as in nginx', async (t) => {
  // rate=1r/m -> 16 milli-r/s; a node idle for 60 s has leaked only 16*60000/1000 = 960.
  // If key 0 is looked up again at t=60 its node still exists: excess = 0 - 960 + 1000 = 40 -> delay 40*1000/16 = 2500 ms.
  const a = new LimitReq({ rate: 1 / 60, burst: 1, nodelay: false, keys: 2 });
  a.admit(0, 0);
  t.equal(a.admit(0, 60), 2.5);
  // But if another key creates a node first, expire(1) deletes the LRU tail (key 0: idle >= 60000 ms and
  // 0 - 960 <= 0), so key 0 starts over with a fresh node: excess 0, no delay.
  const b = new LimitReq({ rate: 1 / 60, burst: 1, nodelay: false, keys: 2 });
  b.admit(0, 0);
  t.equal(b.admit(1, 60), 0);
  t.equal(b.excessOf(0), -1, 'key 0 expired');
  t.equal(b.admit(0, 60), 0);
  // at 59.999 s it is not old enough (ms < 60000), so it survives
  const c = new LimitReq({ rate: 1 / 60, burst: 1, nodelay: false, keys: 2 });
  c.admit(0, 0);
  c.admit(1, 59.999);
  t.equal(c.excessOf(0), 0);
});

t.test('float clock noise does not shift a millisecond (4.35 s is 4350 ms)', async (t) => {
  const lr = new LimitReq({ rate: 10, burst: 0, nodelay: true, keys: 1 });
  t.equal(lr.admit(0, 4.25), 0);
  // 4.35 * 1000 = 4349.999999999999 in floats; nginx's clock would say 4350: ms = 100 -> leak 1000 -> pass
  t.equal(lr.admit(0, 4.35), 0);
  let now = 0;
  const l2 = new LimitReq({ rate: 10, burst: 0, nodelay: true, keys: 1 });
  let passed = 0;
  for (let i = 0; i < 100; i++) {
    if (l2.admit(0, now) === 0) passed++;
    now += 0.1; // accumulates representation error
  }
  t.equal(passed, 100, 'a request every 100 ms at 10r/s burst=0 always passes');
});

t.test('property: nodelay behaves exactly like delay=burst (fast-check)', async (t) => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 50 }),
      fc.integer({ min: 0, max: 8 }),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 2 })), { minLength: 1, maxLength: 200 }),
      (rate, burst, steps) => {
        const a = new LimitReq({ rate, burst, nodelay: true, keys: 3 });
        const b = new LimitReq({ rate, burst, nodelay: false, delay: burst, keys: 3 });
        let now = 0;
        for (const [dtMs, key] of steps) {
          now += dtMs / 1000;
          const x = a.admit(key, now);
          const y = b.admit(key, now);
          if (x !== y || (x !== REJECT && x !== 0)) return false;
        }
        return true;
      },
    ),
    { numRuns: 200 },
  );
  t.pass('held');
});

t.test('property: over a long run admitted requests never exceed rate*T + burst + 1 (fast-check)', async (t) => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 100 }),
      fc.integer({ min: 0, max: 10 }),
      fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 10, maxLength: 500 }),
      (rate, burst, gaps) => {
        const lr = new LimitReq({ rate, burst, nodelay: true, keys: 1 });
        let now = 0;
        let passed = 0;
        for (const g of gaps) {
          now += g / 1000;
          if (lr.admit(0, now) !== REJECT) passed++;
        }
        return passed <= rate * now + burst + 1;
      },
    ),
    { numRuns: 200 },
  );
  t.pass('held');
});
