// The component kinds: a scenario's `kind:` to the class that runs it. Adding a kind is a class
// implementing Component (./component.ts) in its own file and one line here; no other kind, and
// not the run, changes.
import type { ComponentConfig } from '../scenario/types.ts';
import type { Component, RunContext } from './component.ts';
import { PoolRuntime } from './pool.ts';
import { BalancerRuntime } from './balancer.ts';
import { DatabaseRuntime } from './database.ts';
import { CacheRuntime } from './cache.ts';
import { QueueRuntime } from './queue.ts';
import { CdnRuntime } from './cdn.ts';

type Kind = ComponentConfig['kind'];
type Build<K extends Kind> = (cfg: Extract<ComponentConfig, { kind: K }>, index: number, run: RunContext) => Component;

const KINDS: { [K in Kind]: Build<K> } = {
  pool: (cfg, index, run) => new PoolRuntime(cfg, index, run),
  loadBalancer: (cfg, index, run) => new BalancerRuntime(cfg, index, run),
  database: (cfg, index, run) => new DatabaseRuntime(cfg, index, run),
  cache: (cfg, index, run) => new CacheRuntime(cfg, index, run),
  queue: (cfg, index, run) => new QueueRuntime(cfg, index, run),
  cdn: (cfg, index, run) => new CdnRuntime(cfg, index, run),
};

export function buildComponent(cfg: ComponentConfig, index: number, run: RunContext): Component {
  return (KINDS[cfg.kind] as Build<Kind>)(cfg as never, index, run);
}

/** The pools among a run's components (RunState.pools). */
export function poolsOf(components: readonly Component[]): PoolRuntime[] {
  return components.filter((c): c is PoolRuntime => c instanceof PoolRuntime);
}

/** The load balancers among a run's components (RunState.balancers). */
export function balancersOf(components: readonly Component[]): BalancerRuntime[] {
  return components.filter((c): c is BalancerRuntime => c instanceof BalancerRuntime);
}
