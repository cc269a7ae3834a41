// Shared by the conservation properties: an HPA on pool `web` that follows its CPU both ways at
// once (target 50 %, no scale-down window), so that scale-ins drain and kill work mid-flight.

export function fastHpa(maxReplicas: number): Record<string, unknown> {
  return {
    apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler',
    spec: {
      scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
      behavior: { scaleDown: { stabilizationWindowSeconds: 0 } },
    },
  };
}
