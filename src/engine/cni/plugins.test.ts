// The four datapaths' facts as their default installs have them.
import { describe, expect, it } from 'vitest';
import { CNI_PLUGINS, cniPlugin } from './plugins';
import type { NodeInfo, PodEndpoint } from '../types';
import type { IPv4 } from '../net/ip';

const NODES: NodeInfo[] = [
  { name: 'node-a', internalIP: '172.18.0.2' as IPv4, podCIDR: '10.244.0.0/24' },
  { name: 'node-b', internalIP: '172.18.0.3' as IPv4, podCIDR: '10.244.1.0/24' },
];
const A = NODES[0] as NodeInfo;
const POD: PodEndpoint = {
  namespace: 'default',
  name: 'web-1',
  labels: {},
  ip: '10.244.0.5' as IPv4,
  nodeName: 'node-a',
  ports: [],
};

describe('CNI plugins', () => {
  it('[CNI1] flannel: VXLAN on UDP 8472, VNI 1, flannel.1; cni0 bridge; no NetworkPolicy', () => {
    const f = cniPlugin('flannel');
    expect(f.encapsulation).toEqual({ name: 'VXLAN', port: 8472, vni: 1, device: 'flannel.1' });
    expect(f.enforcesPolicy).toBe(false);
    expect(f.mode).toBe('overlay');
    expect(f.localDelivery).toBe('bridge');
    expect(f.bridge).toBe('cni0');
    expect(f.routes(A, NODES).map((r) => r.text)).toEqual([
      '10.244.0.0/24 dev cni0 proto kernel scope link src 10.244.0.1',
      '10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink',
    ]);
    expect(f.hostInterface(POD)).toMatch(/^veth[0-9a-f]{8}$/);
  });

  it('[CNI2] calico: BGP routes via the node address, a blackhole for its own block, cali veths, policy enforced', () => {
    const c = cniPlugin('calico');
    expect(c.encapsulation).toBeNull();
    expect(c.mode).toBe('routed');
    expect(c.enforcesPolicy).toBe(true);
    expect(c.routes(A, NODES)).toEqual([
      { destination: '10.244.0.0/24', text: 'blackhole 10.244.0.0/24 proto bird' },
      {
        destination: '10.244.1.0/24',
        text: '10.244.1.0/24 via 172.18.0.3 dev eth0 proto bird',
        viaNode: 'node-b',
      },
    ]);
    expect(c.hostInterface(POD)).toMatch(/^cali[0-9a-f]{11}$/);
  });

  it('[CNI3] cilium: VXLAN on 8472 (cilium_vxlan), eBPF delivery, lxc interfaces, policy enforced', () => {
    const c = cniPlugin('cilium');
    expect(c.encapsulation).toMatchObject({ port: 8472, device: 'cilium_vxlan' });
    expect(c.localDelivery).toBe('ebpf');
    expect(c.enforcesPolicy).toBe(true);
    expect(c.hostInterface(POD)).toMatch(/^lxc[0-9a-f]{12}$/);
  });

  it('[CNI4] weave: fast datapath VXLAN on UDP 6784, weave bridge, vethwepl interfaces, weave-npc enforces', () => {
    const w = cniPlugin('weave');
    expect(w.encapsulation).toMatchObject({ port: 6784, device: 'vxlan-6784' });
    expect(w.bridge).toBe('weave');
    expect(w.enforcesPolicy).toBe(true);
    expect(w.hostInterface(POD)).toMatch(/^vethwepl[0-9a-f]{7}$/);
  });

  it('[CNI5] every plugin routes each remote pod range to its node, and interface names fit IFNAMSIZ (15)', () => {
    for (const p of Object.values(CNI_PLUGINS)) {
      const remote = p.routes(A, NODES).filter((r) => r.viaNode);
      expect(remote).toEqual([expect.objectContaining({ destination: '10.244.1.0/24', viaNode: 'node-b' })]);
      expect(p.hostInterface(POD).length).toBeLessThanOrEqual(15);
      expect(p.hostInterface(POD)).toBe(p.hostInterface({ ...POD }));
      expect(p.hostInterface(POD)).not.toBe(p.hostInterface({ ...POD, name: 'web-2' }));
    }
  });
});
