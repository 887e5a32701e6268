// Events as `kubectl get events` and `kubectl describe` show them (core/v1 Event, simplified).
export interface ClusterEvent {
  readonly type: 'Normal' | 'Warning';
  readonly reason: string;
  readonly message: string;
  readonly involvedObject: { readonly kind: string; readonly namespace?: string; readonly name: string };
  /** The component that reported it: default-scheduler, kubelet, deployment-controller, … */
  readonly source: string;
  /** Virtual-clock seconds. */
  readonly firstTimestamp: number;
  readonly lastTimestamp: number;
  readonly count: number;
}

export type EventInput = Omit<ClusterEvent, 'firstTimestamp' | 'lastTimestamp' | 'count'>;
