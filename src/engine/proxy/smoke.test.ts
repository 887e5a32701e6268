import { it } from 'vitest';
import { buildProxyRules, iptablesSave, scaleView, proxyPacket, emptyProxyState, ipvsadmList, scaleSeries } from './index';
it('smoke', () => {
  const v = scaleView(2, 'iptables', 3);
  const r = buildProxyRules(v);
  console.log(iptablesSave(r.nodes[0]!));
  const o = proxyPacket(r, emptyProxyState, { node: 'node-a', srcIP: '10.244.0.9' as never, dstIP: '10.96.0.1' as never, dstPort: 80, protocol: 'TCP' }, () => 0.7, 0);
  console.log(JSON.stringify(o.outcome, null, 1));
  const r2 = buildProxyRules(scaleView(2, 'ipvs', 3));
  console.log(iptablesSave(r2.nodes[0]!), ipvsadmList(r2.nodes[0]!));
  const o2 = proxyPacket(r2, emptyProxyState, { node: 'node-a', srcIP: '10.244.0.9' as never, dstIP: '10.96.0.1' as never, dstPort: 80, protocol: 'TCP' }, () => 0.7, 0);
  console.log(JSON.stringify(o2.outcome, null, 1));
  console.log(scaleSeries([10, 100, 1000], 'iptables'), scaleSeries([10, 100, 1000], 'ipvs'));
});
