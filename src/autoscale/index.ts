// Public entry point of the autoscaling decision engines.
import type { Decision, Observation, PolicyConfig, PolicyState } from './types.ts';
import { PolicyError, describe } from './policy-error.ts';
import { isHpaManifest, parseHpa } from './hpa-parse.ts';
import { hpaDecide, hpaInitialState } from './hpa.ts';
import { HPA_DEFAULTS } from './hpa-types.ts';
import { isAwsConfig, parseAws } from './aws-parse.ts';
import { awsDecide, awsInitialState } from './aws.ts';
import { AWS_DEFAULTS } from './aws-types.ts';
import { isKedaManifest, parseKeda } from './keda-parse.ts';
import { kedaDecide, kedaInitialState } from './keda.ts';
import { isOrchestratorConfig, orchestratorDecide, orchestratorInitialState, parseOrchestrator } from './orchestrator.ts';

export * from './types.ts';
export { PolicyError } from './policy-error.ts';

/** Detects the policy family from its shape and parses it; throws PolicyError. */
export function parsePolicy(raw: unknown): PolicyConfig {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new PolicyError('(root)', 'an HPA manifest, an AWS {autoScalingGroup, policies, alarms} config or an orchestrator {serviceType} config', describe(raw));
  }
  if (isKedaManifest(raw)) return parseKeda(raw);
  if (isHpaManifest(raw)) return parseHpa(raw);
  if (isOrchestratorConfig(raw)) return parseOrchestrator(raw);
  if (isAwsConfig(raw)) return parseAws(raw);
  throw new PolicyError(
    '(root)',
    'apiVersion/kind (HPA or KEDA ScaledObject manifest), autoScalingGroup/policies/alarms (AWS) or serviceType (orchestrator)',
    `an object with keys ${Object.keys(raw).map((k) => JSON.stringify(k)).join(', ') || '(none)'}`,
  );
}

export function initialState(cfg: PolicyConfig, currentReplicas: number, now: number): PolicyState {
  switch (cfg.kind) {
    case 'hpa':
      return hpaInitialState(currentReplicas, now);
    case 'keda':
      return kedaInitialState(currentReplicas, now);
    case 'aws':
      return awsInitialState(cfg);
    case 'orchestrator':
      return orchestratorInitialState();
  }
}

function wrongState(cfg: PolicyConfig, state: PolicyState): never {
  throw new TypeError(`state of family "${state.family}" passed with a "${cfg.kind}" policy`);
}

export function decide(cfg: PolicyConfig, state: PolicyState, obs: Observation, now: number): Decision {
  switch (cfg.kind) {
    case 'hpa':
      return state.family === 'hpa' ? hpaDecide(cfg, state, obs, now) : wrongState(cfg, state);
    case 'keda':
      return state.family === 'keda' ? kedaDecide(cfg, state, obs, now) : wrongState(cfg, state);
    case 'aws':
      return state.family === 'aws' ? awsDecide(cfg, state, obs, now) : wrongState(cfg, state);
    case 'orchestrator':
      return state.family === 'orchestrator' ? orchestratorDecide(cfg, state, obs, now) : wrongState(cfg, state);
  }
}

/** Seconds between two decisions of the real system. */
export function syncPeriod(cfg: PolicyConfig): number {
  switch (cfg.kind) {
    case 'hpa':
    case 'keda': // the HPA's sync; the operator's pollingInterval is checked on these ticks
      return HPA_DEFAULTS.syncPeriod;
    case 'aws':
      return AWS_DEFAULTS.syncPeriod;
    case 'orchestrator':
      return cfg.monitoringInterval;
  }
}

export function bounds(cfg: PolicyConfig): { min: number; max: number } {
  switch (cfg.kind) {
    case 'hpa':
      return { min: cfg.minReplicas, max: cfg.maxReplicas };
    case 'keda':
      return { min: cfg.idleReplicaCount ?? cfg.minReplicaCount, max: cfg.maxReplicaCount };
    case 'aws':
      return { min: cfg.group.minSize, max: cfg.group.maxSize };
    case 'orchestrator':
      return { min: cfg.minInstances, max: cfg.maxInstances };
  }
}
