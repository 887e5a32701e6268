import { describe, expect, it } from 'vitest';
import { Engine } from '../engine';
import { serviceRules } from './serviceRules';

const LAB = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: demo}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: nginx, image: nginx, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: demo}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: empty, namespace: demo}
spec:
  selector: {app: nothing}
  ports: [{port: 8080}]
`;

function lab(mode: 'iptables' | 'ipvs' = 'iptables'): Engine {
  const e = new Engine({ proxyMode: mode });
  e.apply('apiVersion: v1\nkind: Namespace\nmetadata: {name: demo}\n');
  expect(e.apply(LAB).errors).toEqual([]);
  return e;
}

describe('one Service’s kube-proxy rules', () => {
  it('[KP18] iptables: its chains in full and the rules that lead to them, nothing of other Services', () => {
    const e = lab();
    const r = serviceRules(e.view().proxy, 'node-a', 'demo/web');
    const text = r?.text ?? '';
    expect(r?.command).toBe('iptables-save');
    expect(text).toMatch(/^\*nat\n/m);
    expect(text).toMatch(/^:KUBE-SVC-[A-Z2-7]{16} - \[0:0\]$/m);
    expect(text).toMatch(/^-A KUBE-SERVICES .*--comment "demo\/web:http cluster IP".* -j KUBE-SVC-/m);
    expect(text).toMatch(/^-A KUBE-NODEPORTS .*--comment demo\/web:http .* -j KUBE-EXT-/m);
    expect(text.match(/--probability 0\.3333333333/g)).toHaveLength(1);
    expect(text.match(/--probability 0\.5000000000/g)).toHaveLength(1);
    expect(text.match(/-j DNAT --to-destination 10\.244\.\d+\.\d+:80/g)).toHaveLength(3);
    expect(text).not.toMatch(/kube-dns|default\/kubernetes|demo\/empty/);
    // Every chain it declares is one it shows rules of.
    for (const [, chain] of text.matchAll(/^:(\S+) /gm)) expect(text).toContain(`-A ${chain} `);
  });

  it('[KP18] a Service without endpoints shows the filter table’s REJECT', () => {
    const r = serviceRules(lab().view().proxy, 'node-a', 'demo/empty');
    expect(r?.text).toMatch(/^\*filter\n/m);
    expect(r?.text).toMatch(/--comment "demo\/empty has no endpoints".* -j REJECT/);
    expect(r?.text).not.toContain('demo/web');
  });

  it('[KP18] IPVS: its virtual servers with their real servers, and an unknown node has none', () => {
    const e = lab('ipvs');
    const r = serviceRules(e.view().proxy, 'node-b', 'demo/web');
    expect(r?.command).toBe('ipvsadm -Ln');
    const vips = [...(r?.text ?? '').matchAll(/^TCP +(\S+) rr$/gm)].map((m) => m[1]);
    const clusterIP = (e.get('Service', 'demo', 'web')?.spec as { clusterIP?: string }).clusterIP;
    expect(vips).toContain(`${clusterIP}:80`);
    expect(vips.length).toBe(r?.count);
    expect((r?.text ?? '').match(/^ {2}-> 10\.244\.\d+\.\d+:80 /gm)?.length).toBe(3 * vips.length);
    expect(serviceRules(e.view().proxy, 'node-x', 'demo/web')).toBe(null);
  });
});
