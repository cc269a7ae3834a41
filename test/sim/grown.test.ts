// The one grow of the model's typed arrays (src/sim/grown.ts): same kind, old values first, the
// rest zero or the fill asked for.
import t from 'tap';
import { grown } from '../../src/sim/grown.ts';

t.test('a longer copy of the same kind', async (t) => {
  const i = grown(new Int32Array([3, -4]), 4);
  t.ok(i instanceof Int32Array);
  t.same([...i], [3, -4, 0, 0]);
  const f = grown(new Float64Array([0.5, 2]), 3, NaN);
  t.ok(f instanceof Float64Array);
  t.same([...f.subarray(0, 2)], [0.5, 2]);
  t.ok(Number.isNaN(f[2]), 'the new cells take the fill');
  const u = grown(new Uint8Array([7]), 2, 1);
  t.ok(u instanceof Uint8Array);
  t.same([...u], [7, 1]);
});
