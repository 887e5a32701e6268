// Node IPAM (kube-controller-manager's range allocator over a cidrset): each node gets the next
// free /nodeCidrMaskSize range of the cluster CIDR in spec.podCIDR and spec.podCIDRs.
// https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/nodeipam/ipam/cidrset/cidr_set.go
import type { Node } from 'kubernetes-types/core/v1';
import { cidrText, parseCidr } from '../net/ip';
import { noChanges, type Changes, type ControllerContext } from './types';
import type { KubeObject } from '../cluster/objects';

export function reconcileNodeIpam(ctx: ControllerContext): Changes {
  const changes = noChanges();
  const nodes = ctx.store.list<Node & KubeObject>('Node');
  const cluster = parseCidr(ctx.settings.clusterCIDR);
  if (!cluster) return changes;
  const size = ctx.settings.nodeCidrMaskSize;
  const used = new Set(nodes.map((n) => n.spec?.podCIDR).filter(Boolean));
  const step = 2 ** (32 - size);
  const count = 2 ** (size - cluster.prefix);
  for (const node of nodes) {
    if (node.spec?.podCIDR) continue;
    let cidr: string | undefined;
    for (let i = 0; i < count; i++) {
      const c = cidrText({ base: (cluster.base + i * step) >>> 0, prefix: size, mask: 0 });
      if (!used.has(c)) {
        cidr = c;
        break;
      }
    }
    if (!cidr) {
      changes.events.push({
        type: 'Normal',
        reason: 'CIDRNotAvailable',
        message: `Node ${node.metadata.name} status is now: CIDRNotAvailable`,
        involvedObject: { kind: 'Node', name: node.metadata.name ?? '' },
        source: 'cidrAllocator',
      });
      continue;
    }
    used.add(cidr);
    changes.puts.push({ ...node, spec: { ...node.spec, podCIDR: cidr, podCIDRs: [cidr] } });
    changes.events.push({
      type: 'Normal',
      reason: 'CIDRAssignmentSucceeded',
      message: `Node ${node.metadata.name} was assigned podCIDR ${cidr}`,
      involvedObject: { kind: 'Node', name: node.metadata.name ?? '' },
      source: 'cidrAllocator',
    });
  }
  return changes;
}
