// A KEDA ScaledObject, normalised: the HPA KEDA builds from it, its triggers, and the operator's
// own 0 ↔ N settings. State: the HPA's, plus when a trigger was last active and last polled.
import type { HpaPolicy, HpaState } from './hpa-types.ts';

/** rabbitmq_scaler.go's modes. */
export type RabbitMode = 'QueueLength' | 'MessageRate' | 'DeliverGetRate' | 'PublishedToDeliveredRatio' | 'ExpectedQueueConsumptionTime';

interface TriggerBase {
  /** The External metric KEDA serves and its HPA reads: s<index>-<scaler>-<queue>. */
  metricName: string;
  metricType: 'AverageValue' | 'Value';
  queueName: string;
}

export type KedaTrigger =
  | (TriggerBase & {
      type: 'rabbitmq';
      mode: RabbitMode;
      value: number;
      activationValue: number;
      /** amqp counts ready messages only (Queue.Declare-Ok); http reads the management API. */
      protocol: 'amqp' | 'http';
      excludeUnacknowledged: boolean;
    })
  | (TriggerBase & {
      type: 'aws-sqs-queue';
      queueLength: number;
      activationQueueLength: number;
      scaleOnInFlight: boolean;
      scaleOnDelayed: boolean;
    });

export interface KedaPolicy {
  kind: 'keda';
  name: string;
  /** The HPA KEDA creates (keda-hpa-<name>): External metrics, min = max(minReplicaCount, 1). */
  hpa: HpaPolicy;
  triggers: KedaTrigger[];
  minReplicaCount: number;
  maxReplicaCount: number;
  idleReplicaCount: number | null;
  pollingInterval: number; // s
  cooldownPeriod: number; // s
  /** Choices headroom made where the manifest left something to the cluster (e.g. a host it cannot see). */
  notes: string[];
}

export interface KedaState {
  family: 'keda';
  hpa: HpaState;
  /** ScaledObject status.lastActiveTime; null = never (KEDA then scales to zero without waiting). */
  lastActive: number | null;
  lastPoll: number | null;
}

export const KEDA_DEFAULTS = {
  pollingInterval: 30,
  cooldownPeriod: 300,
  minReplicaCount: 0,
  maxReplicaCount: 100,
  rabbitQueueLength: 20,
  sqsQueueLength: 5,
} as const;
