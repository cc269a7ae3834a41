import { loadScenario } from '/work/main/src/scenario/index.ts';
import { runScenario } from '/work/main/src/model/index.ts';
const sc = loadScenario('/work/main/scenarios/mmc.yaml');
for (const n of [300000, 2000000]) {
const t = performance.now();
const { summary } = runScenario({ ...sc, duration: n / 9, warmup: 0 });
console.log(n, ((performance.now() - t)/1000).toFixed(2), 's', Math.round(summary.totals.completions / ((performance.now() - t)/1000)), '/s');
}
