// The API server's apply path as kubectl apply sees it: per-document results, field errors with
// the apiserver's wording and the line of the field, and allocation of ClusterIPs and node ports.
import { describe, expect, it } from 'vitest';
import type { Service } from 'kubernetes-types/core/v1';
import { Engine } from '../engine';
import { Cluster } from './cluster';
import { fieldSegments, parseYamlDocuments } from './yamlDocs';

const svc = (name: string, spec: string) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
${spec}`;

const pod = (name: string, image = 'nginx', extra = '') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
${extra}  containers:
  - name: c
    image: ${image}
`;

const clusterIP = (e: Engine, name: string): string | undefined =>
  (e.get('Service', 'default', name) as (Service & { kind: string }) | undefined)?.spec?.clusterIP;

describe('apply results', () => {
  it('[AP1] created, then unchanged, then configured, per object like kubectl apply', () => {
    const e = new Engine();
    const y = svc('web', '  selector: {app: web}\n  ports:\n  - port: 80\n');
    expect(e.apply(y).results).toEqual([
      { kind: 'Service', namespace: 'default', name: 'web', result: 'created' },
    ]);
    expect(e.apply(y).results).toEqual([
      { kind: 'Service', namespace: 'default', name: 'web', result: 'unchanged' },
    ]);
    const changed = svc('web', '  selector: {app: web}\n  ports:\n  - port: 8080\n');
    expect(e.apply(changed).results[0]?.result).toBe('configured');
  });

  it('[AP1] a cluster-scoped kind has no namespace; a namespaced one defaults to "default"', () => {
    const e = new Engine();
    const r = e.apply('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\n' + pod('p'));
    expect(r.errors).toEqual([]);
    expect(r.results).toEqual([
      { kind: 'Namespace', name: 'shop', namespace: undefined, result: 'created' },
      { kind: 'Pod', namespace: 'default', name: 'p', result: 'created' },
    ]);
  });

  it('[AP1] an unchanged re-apply does not write (store revision stays)', () => {
    const e = new Engine();
    const y = pod('p');
    e.apply(y);
    const rev = e.cluster.store.revision;
    expect(e.apply(y).results[0]?.result).toBe('unchanged');
    expect(e.cluster.store.revision).toBe(rev);
  });

  it('[AP7] status in a manifest is ignored (the API server drops it on create)', () => {
    const e = new Engine();
    e.apply(pod('p') + 'status:\n  podIP: 1.2.3.4\n  phase: Failed\n');
    const status = e.get('Pod', 'default', 'p')?.status as { podIP?: string; phase?: string };
    expect(status.podIP).not.toBe('1.2.3.4');
    expect(status.phase).toBe('Running');
  });
});

describe('rejected documents', () => {
  const BAD_THEN_GOOD = `apiVersion: v1
kind: Service
metadata:
  name: bad
spec:
  selector: {app: web}
  ports:
  - port: 80
    protocol: FOO
---
apiVersion: v1
kind: Service
metadata:
  name: good
spec:
  ports:
  - port: 80
`;

  it('[AP3] field errors use the apiserver wording and point at the line of the field', () => {
    const r = new Engine().apply(BAD_THEN_GOOD);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({
      kind: 'Service',
      namespace: 'default',
      name: 'bad',
      document: 0,
      field: 'spec.ports[0].protocol',
      type: 'Unsupported value',
      message: 'spec.ports[0].protocol: Unsupported value: "FOO": supported values: "SCTP", "TCP", "UDP"',
      line: 9,
    });
  });

  it('[AP2] a rejected document changes nothing while its valid siblings apply', () => {
    const e = new Engine();
    const rev = e.cluster.store.revision;
    const r = e.apply(BAD_THEN_GOOD);
    expect(r.results).toEqual([{ kind: 'Service', namespace: 'default', name: 'good', result: 'created' }]);
    expect(e.get('Service', 'default', 'bad')).toBeUndefined();
    expect(e.cluster.store.revision).toBeGreaterThan(rev);
  });

  it('[AP2] an apply whose only document is rejected leaves the store revision unchanged', () => {
    const e = new Engine();
    const rev = e.cluster.store.revision;
    const snap = JSON.stringify(e.snapshot());
    const r = e.apply(svc('bad', '  ports:\n  - port: 0\n'));
    expect(r.results).toEqual([]);
    expect(r.errors[0]?.message).toBe(
      'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    );
    expect(e.cluster.store.revision).toBe(rev);
    expect(JSON.stringify(e.snapshot())).toBe(snap);
  });

  it('[AP3] an error on a nested mapping points at its key line, not at its first child', () => {
    const e = new Engine();
    e.apply(pod('p'));
    const r = e.apply(pod('p', 'nginx', '  hostNetwork: true\n'));
    expect(r.errors[0]).toMatchObject({ field: 'spec', type: 'Forbidden', line: 5 });
  });

  it('[AP3] a name error is reported on metadata.name', () => {
    const r = new Engine().apply(pod('Bad_Name'));
    expect(r.errors[0]?.field).toBe('metadata.name');
    expect(r.errors[0]?.line).toBe(4);
    expect(r.errors[0]?.message).toMatch(
      /^metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/,
    );
  });

  it('[AP4] a YAML syntax error gives the line and column where the parser stopped, and skips the document', () => {
    const e = new Engine();
    const r = e.apply('apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels: {a: b\nspec: {}\n');
    expect(r.results).toEqual([]);
    expect(r.errors).toHaveLength(1);
    const err = r.errors[0];
    expect(err?.line).toBeGreaterThanOrEqual(5);
    expect(err?.column).toBeGreaterThanOrEqual(1);
    expect(err?.message).toMatch(new RegExp(`^error converting YAML to JSON: yaml: line ${err?.line}: `));
  });

  it('[AP4] a syntax error in the second document is reported with its line in the whole stream', () => {
    const r = new Engine().apply(`${pod('ok')}---\na: b\n  c: d\n`);
    expect(r.results.map((x) => x.name)).toEqual(['ok']);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]?.document).toBe(1);
    expect(r.errors[0]?.line).toBe(10); // `a: b` on line 10 starts the mapping that `  c: d` breaks
  });

  it('[AP5] a document without apiVersion and kind', () => {
    const r = new Engine().apply('metadata:\n  name: x\n');
    expect(r.errors[0]?.message).toBe('error validating data: [apiVersion not set, kind not set]');
  });

  it('[AP5] a document that is not a mapping', () => {
    const r = new Engine().apply('- a\n- b\n');
    expect(r.errors[0]?.message).toMatch(/^error validating data: /);
  });

  it("[AP5] an unknown kind or apiVersion is kubectl's REST mapping error", () => {
    const e = new Engine();
    expect(e.apply('apiVersion: v1\nkind: Foo\nmetadata: {name: x}\n').errors[0]?.message).toBe(
      'resource mapping not found for kind "Foo" in version "v1": no matches for kind "Foo" in version "v1"',
    );
    expect(e.apply('apiVersion: apps/v1\nkind: Pod\nmetadata: {name: x}\n').errors[0]?.message).toBe(
      'resource mapping not found for kind "Pod" in version "apps/v1": no matches for kind "Pod" in version "apps/v1"',
    );
  });

  it('[AP6] a missing namespace: namespaces "x" not found, on the namespace line', () => {
    const r = new Engine().apply(
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: x\nspec:\n  containers: [{name: c, image: nginx}]\n',
    );
    expect(r.results).toEqual([]);
    expect(r.errors[0]).toMatchObject({ message: 'namespaces "x" not found', line: 5, namespace: 'x' });
  });

  it('[AP6] a namespace created earlier in the same stream is there for the next document', () => {
    const r = new Engine().apply(
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: x}\nspec:\n  containers: [{name: c, image: nginx}]\n',
    );
    expect(r.errors).toEqual([]);
    expect(r.results.map((x) => x.result)).toEqual(['created', 'created']);
  });

  it('[AP9] empty documents and comments are skipped without errors', () => {
    const r = new Engine().apply('---\n# nothing\n---\n');
    expect(r).toEqual({ results: [], errors: [] });
  });
});

describe('updates', () => {
  it('[UP1] re-applying a Pod with a new image is allowed (kubectl keeps the defaulted imagePullPolicy)', () => {
    const e = new Engine();
    e.apply(pod('p', 'nginx'));
    const r = e.apply(pod('p', 'nginx:1.25'));
    expect(r.errors).toEqual([]);
    expect(r.results[0]?.result).toBe('configured');
    const spec = e.get('Pod', 'default', 'p')?.spec as {
      containers: { image: string; imagePullPolicy: string }[];
    };
    expect(spec.containers[0]).toMatchObject({ image: 'nginx:1.25', imagePullPolicy: 'Always' });
  });

  it("[UP1] any other Pod spec change is Forbidden with ValidatePodUpdate's message", () => {
    const e = new Engine();
    e.apply(pod('p'));
    const ip = (e.get('Pod', 'default', 'p')?.status as { podIP: string }).podIP;
    const r = e.apply(pod('p', 'nginx', '  hostNetwork: true\n'));
    expect(r.results).toEqual([]);
    expect(r.errors[0]?.message).toMatch(
      /^spec: Forbidden: pod updates may not change fields other than `spec\.containers\[\*\]\.image`,`spec\.initContainers\[\*\]\.image`,`spec\.activeDeadlineSeconds`,`spec\.tolerations` \(only additions to existing tolerations\),`spec\.terminationGracePeriodSeconds`/,
    );
    expect((e.get('Pod', 'default', 'p')?.status as { podIP: string }).podIP).toBe(ip);
  });

  it('[UP3] re-apply keeps what the server owns: uid, creationTimestamp, nodeName, status', () => {
    const e = new Engine();
    e.apply(pod('p'));
    const before = e.get('Pod', 'default', 'p');
    e.apply(pod('p', 'nginx:1.25'));
    const after = e.get('Pod', 'default', 'p');
    expect(after?.metadata.uid).toBe(before?.metadata.uid);
    expect(after?.metadata.creationTimestamp).toBe(before?.metadata.creationTimestamp);
    expect((after?.spec as { nodeName: string }).nodeName).toBe(
      (before?.spec as { nodeName: string }).nodeName,
    );
    expect((after?.status as { podIP: string }).podIP).toBe((before?.status as { podIP: string }).podIP);
  });

  it("[UP2] a Deployment's selector is immutable", () => {
    const e = new Engine();
    const dep = (app: string) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: {app: ${app}}}\n  template:\n    metadata: {labels: {app: ${app}}}\n    spec:\n      containers: [{name: c, image: nginx}]\n`;
    e.apply(dep('a'));
    const r = e.apply(dep('b'));
    expect(r.errors[0]).toMatchObject({ field: 'spec.selector', type: 'Invalid value', line: 5 });
    expect(r.errors[0]?.message).toMatch(/^spec\.selector: Invalid value: .*: field is immutable$/);
  });
});

describe('Service allocations', () => {
  it('[SV1] a ClusterIP is allocated from the Service CIDR and kept on re-apply', () => {
    const e = new Engine();
    const y = svc('web', '  ports:\n  - port: 80\n');
    e.apply(y);
    const ip = clusterIP(e, 'web');
    expect(ip).toMatch(/^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/);
    expect(e.apply(y).results[0]?.result).toBe('unchanged');
    e.apply(svc('web', '  ports:\n  - port: 81\n'));
    expect(clusterIP(e, 'web')).toBe(ip);
  });

  it('[SV1] changing a set clusterIP is refused', () => {
    const e = new Engine();
    e.apply(svc('web', '  clusterIP: 10.96.5.5\n  ports:\n  - port: 80\n'));
    const r = e.apply(svc('web', '  clusterIP: 10.96.5.6\n  ports:\n  - port: 80\n'));
    expect(r.errors[0]?.message).toBe(
      'spec.clusterIPs[0]: Invalid value: "10.96.5.6": may not change once set',
    );
  });

  it('[SV2] a requested clusterIP outside the Service CIDR', () => {
    const r = new Engine().apply(svc('web', '  clusterIP: 192.168.0.10\n  ports:\n  - port: 80\n'));
    expect(r.errors[0]?.message).toBe(
      'spec.clusterIPs: Invalid value: []string{"192.168.0.10"}: failed to allocate IP 192.168.0.10: the provided IP (192.168.0.10) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    );
    expect(r.errors[0]?.line).toBe(6);
  });

  it('[SV2] a requested clusterIP that is taken (kube-dns holds 10.96.0.10)', () => {
    const r = new Engine().apply(svc('web', '  clusterIP: 10.96.0.10\n  ports:\n  - port: 80\n'));
    expect(r.errors[0]?.message).toBe(
      'spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated',
    );
  });

  it('[SV3] a requested nodePort that is taken: "provided port is already allocated"', () => {
    const e = new Engine();
    const np = (name: string, port: number) =>
      svc(name, `  type: NodePort\n  ports:\n  - port: 80\n    nodePort: ${port}\n`);
    expect(e.apply(np('a', 30080)).errors).toEqual([]);
    const r = e.apply(np('b', 30080));
    expect(r.errors[0]).toMatchObject({
      field: 'spec.ports[0].nodePort',
      message: 'spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated',
      line: 9,
    });
    expect(e.get('Service', 'default', 'b')).toBeUndefined();
  });

  it('[SV3] a requested nodePort out of range', () => {
    const r = new Engine().apply(svc('a', '  type: NodePort\n  ports:\n  - port: 80\n    nodePort: 40000\n'));
    expect(r.errors[0]?.message).toBe(
      'spec.ports[0].nodePort: Invalid value: 40000: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
  });

  it('[SV3] an allocated nodePort is in range and kept on re-apply', () => {
    const e = new Engine();
    const y = svc('a', '  type: NodePort\n  ports:\n  - port: 80\n');
    e.apply(y);
    const port = (e.get('Service', 'default', 'a')?.spec as Service['spec'])?.ports?.[0]?.nodePort;
    expect(port).toBeGreaterThanOrEqual(30000);
    expect(port).toBeLessThanOrEqual(32767);
    expect(e.apply(y).results[0]?.result).toBe('unchanged');
    expect((e.get('Service', 'default', 'a')?.spec as Service['spec'])?.ports?.[0]?.nodePort).toBe(port);
  });
});

describe('delete', () => {
  it("[DL1] deleting what is not there is kubectl's NotFound", () => {
    const e = new Engine();
    expect(e.delete('Pod', 'default', 'nope')).toEqual({
      error: 'Error from server (NotFound): pods "nope" not found',
    });
    expect(e.delete('Deployment', 'default', 'nope')).toEqual({
      error: 'Error from server (NotFound): deployments.apps "nope" not found',
    });
  });
});

describe('bootstrap', () => {
  it('[BS1] a fresh cluster has the kubeadm namespaces, kubernetes and kube-dns Services, and nodes on 172.18.0.0/16', () => {
    const c = new Cluster();
    expect(c.store.list('Namespace').map((n) => n.metadata.name)).toEqual([
      'default',
      'ingress-nginx',
      'kube-node-lease',
      'kube-public',
      'kube-system',
    ]);
    expect((c.store.get('Service', 'default', 'kubernetes')?.spec as Service['spec'])?.clusterIP).toBe(
      '10.96.0.1',
    );
    expect((c.store.get('Service', 'kube-system', 'kube-dns')?.spec as Service['spec'])?.clusterIP).toBe(
      '10.96.0.10',
    );
    const addrs = c.store
      .list('Node')
      .map((n) => (n.status as { addresses: { type: string; address: string }[] }).addresses[0]?.address);
    expect(addrs).toEqual(['172.18.0.2', '172.18.0.3', '172.18.0.4']);
  });
});

describe('store', () => {
  it('[ST1] every write bumps the revision and stamps resourceVersion; lists are sorted by namespace then name', () => {
    const e = new Engine();
    const rev = e.cluster.store.revision;
    e.apply(pod('zeta') + '---\n' + pod('alpha'));
    expect(e.cluster.store.revision).toBeGreaterThan(rev);
    const pods = e.list('Pod', 'default').map((p) => p.metadata.name);
    expect(pods).toEqual(['alpha', 'zeta']);
    const p = e.get('Pod', 'default', 'alpha');
    expect(Number(p?.metadata.resourceVersion)).toBeGreaterThan(rev);
  });
});

describe('YAML documents', () => {
  it('[AP3] fieldSegments splits a field path into keys and indexes', () => {
    expect(fieldSegments('spec.ports[0].port')).toEqual(['spec', 'ports', 0, 'port']);
    expect(fieldSegments('spec.rules[1].http.paths[0].backend')).toEqual([
      'spec',
      'rules',
      1,
      'http',
      'paths',
      0,
      'backend',
    ]);
    expect(fieldSegments('metadata.labels[app]')).toEqual(['metadata', 'labels', 'app']);
  });

  it('[AP3] lineOf falls back to the deepest existing node, then to the document start', () => {
    const { docs } = parseYamlDocuments('a: 1\n---\nkind: X\nspec:\n  ports:\n  - port: 80\n    name: x\n');
    const d = docs[1];
    expect(d?.line).toBe(3);
    expect(d?.lineOf('spec.ports[0].name')).toBe(7);
    expect(d?.lineOf('spec.ports[0].missing')).toBe(6);
    expect(d?.lineOf('spec')).toBe(4);
    expect(d?.lineOf('nothing.here')).toBe(3);
  });
});
