import { scaleSeries } from '../../store/tools';

// The rule-growth chart's numbers: real kube-proxy rules built by the engine for N ClusterIP
// Services (5 endpoints each, 3 nodes) in both modes, from 10 to 10,000 Services.

/** Services per point: a log scale, a half decade apart. */
export const SERVICE_COUNTS = [10, 30, 100, 300, 1000, 3000, 10000] as const;

export interface ModeCost {
  /** iptables: nat + filter rules on one node; IPVS: its few iptables rules (ipsets hold the rest). */
  readonly rules: number;
  /** Rules evaluated for a new connection to the last Service's ClusterIP (the worst case). */
  readonly traversed: number;
}

export interface RuleGrowthPoint {
  readonly services: number;
  readonly iptables: ModeCost;
  readonly ipvs: ModeCost;
}

/** One point, both modes, from the engine's `scaleSeries` (kube-proxy [KP16], [KP17]). */
export function computePoint(services: number): RuleGrowthPoint {
  const [ipt] = scaleSeries([services], 'iptables');
  const [ipvs] = scaleSeries([services], 'ipvs');
  return {
    services,
    iptables: { rules: ipt?.rules ?? 0, traversed: ipt?.traversed ?? 0 },
    ipvs: { rules: ipvs?.rules ?? 0, traversed: ipvs?.traversed ?? 0 },
  };
}

/** Worker protocol: the page asks for `counts`, the worker answers one point at a time. */
export type RuleGrowthRequest = { readonly counts: readonly number[] };
export type RuleGrowthMessage =
  { readonly point: RuleGrowthPoint } | { readonly done: true } | { readonly error: string };
