// Where a pool's instances go among its zones, by the rule an AWS Auto Scaling group follows for
// its balanced Availability Zones ("Amazon EC2 Auto Scaling attempts to distribute instances evenly
// between the Availability Zones that are enabled"; a launch goes to the zone with the fewest
// instances, a scale-in takes from the zone with the most; Amazon EC2 Auto Scaling User Guide,
// "Instance distribution across Availability Zones" and "Default termination policy"). Kubernetes
// gets the same spread from a topologySpreadConstraint on topology.kubernetes.io/zone with
// maxSkew 1: each new pod goes to a zone with the fewest matching pods.
//
// Left out: the ASG's AZRebalance after a zone returns (it launches into the emptied zone and then
// terminates elsewhere); here the spread recovers as later launches and scale-ins follow the rule.
// Ties go to the zone listed first.
import { Life, type Fleet } from './fleet.ts';

/** Active instances per zone (provisioning to ready, and down: what a launch or scale-in balances). */
export function zoneCounts(f: Fleet, zones: number, version = -1): Int32Array {
  const c = new Int32Array(zones);
  for (let i = 0; i < f.n; i++) {
    if (f.life[i] <= Life.Ready && (version < 0 || f.version[i] === version)) c[f.zone[i]]++;
  }
  return c;
}

/** The zone a launch goes to: the fewest active instances among zones that are up; −1 when none is. */
export function launchZone(f: Fleet, up: Uint8Array): number {
  const c = zoneCounts(f, up.length);
  let best = -1;
  for (let z = 0; z < up.length; z++) if (up[z] === 1 && (best < 0 || c[z] < c[best])) best = z;
  return best;
}

/**
 * Instances to drain to shed `k` of `version`'s active ones: not yet running before not ready
 * before ready (the ReplicaSet's order), then from the zone with the most instances at that
 * moment (the ASG's), then newest first.
 */
export function scaleInVictims(f: Fleet, zones: number, version: number, k: number): number[] {
  const c = zoneCounts(f, zones, version);
  const pool: number[] = [];
  for (let i = 0; i < f.n; i++) if (f.life[i] <= Life.Ready && f.version[i] === version) pool.push(i);
  const out: number[] = [];
  // a goes before b: lower lifecycle stage, then the more crowded zone, then newer, then the later slot
  const before = (a: number, b: number): boolean =>
    f.life[a] !== f.life[b] ? f.life[a] < f.life[b]
      : c[f.zone[a]] !== c[f.zone[b]] ? c[f.zone[a]] > c[f.zone[b]]
        : f.created[a] !== f.created[b] ? f.created[a] > f.created[b] : a > b;
  while (out.length < k && pool.length > 0) {
    let best = 0;
    for (let j = 1; j < pool.length; j++) if (before(pool[j], pool[best])) best = j;
    const v = pool[best];
    out.push(v);
    c[f.zone[v]]--;
    pool.splice(best, 1);
  }
  return out;
}
