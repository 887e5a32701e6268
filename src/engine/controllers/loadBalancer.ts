// The simulated cloud's service controller: a LoadBalancer Service gets an address from the
// cloud's pool in status.loadBalancer.ingress, as a cloud provider or MetalLB would write it.
// https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer
import type { Service } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../cluster/objects';
import { LB_POOL } from '../cluster/settings';
import { intToIp, parseCidr } from '../net/ip';
import { noChanges, type Changes, type ControllerContext } from './types';

type S = Service & KubeObject;

export function reconcileLoadBalancers(ctx: ControllerContext): Changes {
  const changes = noChanges();
  const pool = parseCidr(LB_POOL);
  if (!pool) return changes;
  const services = ctx.store.list<S>('Service');
  const used = new Set(services.flatMap((s) => (s.status?.loadBalancer?.ingress ?? []).map((i) => i.ip)));
  for (const s of services) {
    const has = (s.status?.loadBalancer?.ingress ?? []).length > 0;
    const ref = { kind: 'Service', namespace: s.metadata.namespace, name: s.metadata.name ?? '' };
    if (s.spec?.type === 'LoadBalancer' && !has) {
      let ip: string | undefined;
      for (let i = 10; i < 255; i++) {
        const candidate = intToIp(pool.base + i);
        if (!used.has(candidate)) {
          ip = candidate;
          break;
        }
      }
      if (!ip) continue;
      used.add(ip);
      changes.puts.push({
        ...s,
        status: { ...s.status, loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } },
      });
      changes.events.push(
        {
          type: 'Normal',
          reason: 'EnsuringLoadBalancer',
          message: 'Ensuring load balancer',
          involvedObject: ref,
          source: 'service-controller',
        },
        {
          type: 'Normal',
          reason: 'EnsuredLoadBalancer',
          message: 'Ensured load balancer',
          involvedObject: ref,
          source: 'service-controller',
        },
      );
    } else if (s.spec?.type !== 'LoadBalancer' && has) {
      changes.puts.push({ ...s, status: { ...s.status, loadBalancer: {} } });
    }
  }
  return changes;
}
