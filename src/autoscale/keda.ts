// KEDA as a pure step: the operator's scale loop (pkg/scaling/executor/scale_scaledobjects.go
// RequestScale, every pollingInterval) owns 0 ↔ N, and the HPA it created (keda-hpa-<name>) owns
// 1 ↔ N on the triggers' External metrics through the existing HPA engine (./hpa.ts), exactly as
// the HPA controller reads KEDA's metrics server.
//
// Each trigger's metric and activity follow its scaler's GetMetricsAndActivity, from the broker's
// own figures in observation.external (what the scaler would have fetched):
//   rabbitmq:<queue>:messages | messages_ready | messages_unacknowledged | publish_rate | deliver_get_rate
//   sqs:<queue>:ApproximateNumberOfMessages | ApproximateNumberOfMessagesNotVisible | ApproximateNumberOfMessagesDelayed
// or, fed live, the metric itself under its External name (s0-rabbitmq-orders).
//
// RequestScale, case by case: replicas 0 and a trigger active → scale to max(minReplicaCount, 1)
// (scaleFromZero); no trigger active, replicas > 0, minReplicaCount 0 → to idleReplicaCount or 0
// once cooldownPeriod has passed since lastActiveTime (scaleToZero; at once when never active);
// no trigger active and replicas below minReplicaCount → minReplicaCount; active → lastActiveTime
// = now. Modelling choice: the loop runs on the HPA's 15 s ticks (a pollingInterval is rounded up
// to one), and within one tick the operator acts before the HPA, which then sees its result.
import type { Decision, Observation, ObservedMetric } from './types.ts';
import type { KedaPolicy, KedaState, KedaTrigger } from './keda-types.ts';
import { hpaDecide, hpaInitialState } from './hpa.ts';

export function kedaInitialState(currentReplicas: number, now: number): KedaState {
  return { family: 'keda', hpa: hpaInitialState(currentReplicas, now), lastActive: null, lastPoll: null };
}

/** A trigger's metric value and whether it is active; undefined when the figures it needs are missing. */
export function triggerReading(t: KedaTrigger, ext: Record<string, number>): { value: number; active: boolean } | undefined {
  const live = ext[t.metricName];
  const act = t.type === 'rabbitmq' ? t.activationValue : t.activationQueueLength;
  if (live !== undefined) return { value: live, active: live > act };
  const q = t.queueName;
  if (t.type === 'aws-sqs-queue') {
    const visible = ext[`sqs:${q}:ApproximateNumberOfMessages`];
    if (visible === undefined) return undefined;
    let n = visible;
    if (t.scaleOnInFlight) n += ext[`sqs:${q}:ApproximateNumberOfMessagesNotVisible`] ?? 0;
    if (t.scaleOnDelayed) n += ext[`sqs:${q}:ApproximateNumberOfMessagesDelayed`] ?? 0;
    return { value: n, active: n > act };
  }
  const ready = ext[`rabbitmq:${q}:messages_ready`];
  if (ready === undefined) return undefined;
  // AMQP's Queue.Declare-Ok counts ready messages; the management API's `messages` adds unacknowledged ones.
  const messages = t.protocol === 'amqp' || t.excludeUnacknowledged ? ready : ext[`rabbitmq:${q}:messages`] ?? ready;
  const publish = ext[`rabbitmq:${q}:publish_rate`] ?? 0, deliver = ext[`rabbitmq:${q}:deliver_get_rate`] ?? 0;
  switch (t.mode) {
    case 'QueueLength': return { value: messages, active: messages > act };
    case 'MessageRate': return { value: publish, active: publish > act || messages > act };
    case 'DeliverGetRate': return { value: deliver, active: deliver > act };
    case 'PublishedToDeliveredRatio': {
      const ratio = publish > 0 && deliver === 0 ? act : publish > 0 && deliver > 0 ? publish / deliver : 0;
      return { value: ratio, active: ratio > act || (publish > 0 && deliver === 0) };
    }
    case 'ExpectedQueueConsumptionTime': {
      const eta = deliver === 0 ? act : (publish - deliver) / deliver + messages / deliver;
      return { value: eta, active: eta > act || deliver === 0 };
    }
  }
}

export function kedaDecide(cfg: KedaPolicy, state: KedaState, obs: Observation, now: number): Decision<KedaState> {
  const ext: Record<string, number> = { ...obs.external };
  const reasons: string[] = [...cfg.notes];
  const activity: ObservedMetric[] = [];
  let active = false, missing = 0;
  for (const t of cfg.triggers) {
    const r = triggerReading(t, obs.external ?? {});
    if (r === undefined) { missing++; reasons.push(`${t.metricName}: no figures for queue ${t.queueName}`); continue; }
    ext[t.metricName] = r.value;
    active ||= r.active;
    activity.push({ metric: t.metricName, threshold: 'activation', op: '>', value: r.value, target: t.type === 'rabbitmq' ? t.activationValue : t.activationQueueLength, unit: '' });
    reasons.push(`${t.metricName} = ${Math.round(r.value * 1000) / 1000} (${r.active ? 'active' : 'not active'})`);
  }
  const current = obs.currentReplicas;
  let { lastActive, lastPoll } = state;
  const polls = missing < cfg.triggers.length && (lastPoll === null || now - lastPoll >= cfg.pollingInterval);
  if (polls) {
    lastPoll = now;
    const idle = cfg.idleReplicaCount ?? 0;
    if (active && current <= idle) {
      const to = Math.max(cfg.minReplicaCount, 1);
      return { desired: to, rule: 'ScaleFromZero', reasons: [...reasons, `a trigger is active: ${current} → ${to}`], state: { ...state, lastActive: now, lastPoll }, observed: activity, unclamped: to };
    }
    if (!active && current > idle && cfg.minReplicaCount === 0) {
      if (lastActive === null || lastActive + cfg.cooldownPeriod < now) {
        return { desired: idle, rule: 'ScaleToZero', reasons: [...reasons, `no trigger active${lastActive === null ? '' : ` since t=${lastActive}`}, cooldown ${cfg.cooldownPeriod} s passed: ${current} → ${idle}`], state: { ...state, lastPoll }, observed: activity, unclamped: idle };
      }
      reasons.push(`cooling down: no trigger active since t=${lastActive}, ${cfg.cooldownPeriod} s cooldown`);
    } else if (!active && current < cfg.minReplicaCount) {
      return { desired: cfg.minReplicaCount, rule: 'MinReplicaCount', reasons: [...reasons, `below minReplicaCount: ${current} → ${cfg.minReplicaCount}`], state: { ...state, lastPoll }, observed: activity, unclamped: cfg.minReplicaCount };
    } else if (active) lastActive = now;
  }
  // The HPA KEDA created; at 0 replicas it is disabled (ScalingDisabled) and holds.
  const d = hpaDecide(cfg.hpa, state.hpa, { ...obs, external: ext }, now);
  return {
    desired: d.desired, rule: d.rule, reasons: [...reasons, ...d.reasons], state: { family: 'keda', hpa: d.state, lastActive, lastPoll },
    observed: [...d.observed, ...activity], unclamped: d.unclamped,
  };
}
