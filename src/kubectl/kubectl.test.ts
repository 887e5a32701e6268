import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../engine';
import { runKubectl } from './index';

const fresh = (): Engine => createEngine();
const podOf = (e: Engine, prefix: string): string =>
  e.list('Pod', 'default').find((p) => (p.metadata.name ?? '').startsWith(prefix))?.metadata.name ?? '';

function seed001(): { e: Engine; pod: string } {
  const e = fresh();
  expect(runKubectl(e, 'kubectl create deployment web --image=nginx').stdout).toBe(
    'deployment.apps/web created\n',
  );
  expect(runKubectl(e, 'kubectl expose deployment web --port=80 --type=ClusterIP').stdout).toBe(
    'service/web exposed\n',
  );
  return { e, pod: podOf(e, 'web-') };
}

describe('seed 001 hands-on exercise, typed verbatim', () => {
  it('[K20][K21][K11][K33] create, expose, get services, exec curl web:80', () => {
    const { e, pod } = seed001();
    const svc = runKubectl(e, 'kubectl get services');
    expect(svc.exitCode).toBe(0);
    const lines = svc.stdout.split('\n');
    expect(lines[0]).toMatch(/^NAME {9}TYPE {8}CLUSTER-IP {7}EXTERNAL-IP {3}PORT\(S\) {3}AGE$/);
    const web = lines.find((l) => l.startsWith('web '));
    expect(web).toMatch(/^web +ClusterIP +10\.\d+\.\d+\.\d+ +<none> +80\/TCP +0s$/);
    const ip = (web ?? '').split(/\s+/)[2] ?? '';
    const [a, b] = ip.split('.').map(Number);
    expect(a).toBe(10);
    expect((b ?? 0) & 0xf0).toBe(96); // inside 10.96.0.0/12
    const r = runKubectl(e, `kubectl exec -it ${pod} -- curl web:80`);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('<title>Welcome to nginx!</title>');
    const tcp = r.connects.filter((c) => c.hops.at(-1)?.packet.protocol === 'TCP');
    expect(tcp).toHaveLength(1);
    expect(tcp[0]?.delivered).toBe(true);
    expect(tcp[0]?.service).toBe('default/web');
    expect(tcp[0]?.backend).toBe(`default/${pod}`);
  });
});

describe('errors as kubectl words them', () => {
  it('[K15] a missing object is NotFound from the server', () => {
    const r = runKubectl(fresh(), 'kubectl get pods x');
    expect(r.stderr).toBe('Error from server (NotFound): pods "x" not found\n');
    expect(r.exitCode).toBe(1);
    expect(runKubectl(fresh(), 'kubectl get deploy nope').stderr).toBe(
      'Error from server (NotFound): deployments.apps "nope" not found\n',
    );
  });
  it('[K2] unknown flags', () => {
    expect(runKubectl(fresh(), 'kubectl get pods --foo').stderr).toBe(
      "error: unknown flag: --foo\nSee 'kubectl get --help' for usage.\n",
    );
    expect(runKubectl(fresh(), 'kubectl get pods -z').stderr).toContain(
      "error: unknown shorthand flag: 'z' in -z",
    );
  });
  it('[K3] unknown command with a suggestion', () => {
    const r = runKubectl(fresh(), 'kubectl gett pods');
    expect(r.stderr).toBe('error: unknown command "gett" for "kubectl"\n\nDid you mean this?\n\tget\n');
    expect(runKubectl(fresh(), 'kubectl frobnicate').stderr).toBe(
      'error: unknown command "frobnicate" for "kubectl"\n',
    );
  });
  it('[K15] unknown resource type', () => {
    expect(runKubectl(fresh(), 'kubectl get podz').stderr).toBe(
      'error: the server doesn\'t have a resource type "podz"\n',
    );
  });
  it('[K4] required flag', () => {
    expect(runKubectl(fresh(), 'kubectl create deployment web').stderr).toBe(
      'error: required flag(s) "image" not set\n',
    );
    expect(runKubectl(fresh(), 'kubectl run x').stderr).toBe('error: required flag(s) "image" not set\n');
  });
  it('[K1] bad input never throws', () => {
    for (const l of [
      '',
      'kubectl',
      "kubectl get 'pods",
      'k exec',
      'k exec x --',
      'k label',
      'k scale deploy',
      'k -n',
      '"""',
    ])
      expect(() => runKubectl(fresh(), l)).not.toThrow();
  });
  it('[K17] AlreadyExists and validation errors', () => {
    const { e } = seed001();
    expect(runKubectl(e, 'kubectl create deployment web --image=nginx').stderr).toBe(
      'Error from server (AlreadyExists): deployments.apps "web" already exists\n',
    );
    const bad = runKubectl(e, 'kubectl expose deployment web --port=80 --name=other --type=Foo');
    expect(bad.stderr).toMatch(/^The Service "other" is invalid: spec\.type: Unsupported value: "Foo"/);
  });
  it('[K30] exec without -- is rejected', () => {
    const { e, pod } = seed001();
    expect(runKubectl(e, `kubectl exec ${pod} curl web`).stderr).toBe(
      'error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\n',
    );
  });
});

describe('output formats', () => {
  it('[K11] pods table and -o wide', () => {
    const { e, pod } = seed001();
    const r = runKubectl(e, 'kubectl get pods');
    expect(r.stdout).toBe(
      `NAME${' '.repeat(pod.length - 1)}READY   STATUS    RESTARTS   AGE\n${pod}   1/1     Running   0          0s\n`,
    );
    const w = runKubectl(e, 'kubectl get po -o wide').stdout;
    expect(w.split('\n')[0]).toMatch(/AGE {3}IP +NODE +NOMINATED NODE {3}READINESS GATES$/);
    expect(w).toMatch(/10\.244\.\d+\.\d+ +node-[abc] +<none> +<none>\n$/);
  });
  it('[K12] AGE follows the virtual clock', () => {
    const { e } = seed001();
    e.advance(200);
    expect(runKubectl(e, 'kubectl get deploy').stdout).toBe(
      'NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    1/1     1            1           3m20s\n',
    );
  });
  it('[K14] -o name, json and yaml', () => {
    const { e, pod } = seed001();
    expect(runKubectl(e, 'kubectl get deploy,svc -o name').stdout).toBe(
      'deployment.apps/web\nservice/kubernetes\nservice/web\n',
    );
    expect(runKubectl(e, 'kubectl get pods -o name').stdout).toBe(`pod/${pod}\n`);
    const json = runKubectl(e, 'kubectl get svc web -o json').stdout;
    expect(json.startsWith('{\n    "apiVersion": "v1",\n    "kind": "Service",')).toBe(true);
    expect(JSON.parse(json).spec.ports[0]).toEqual({ port: 80, protocol: 'TCP', targetPort: 80 });
    const list = JSON.parse(runKubectl(e, 'kubectl get svc -o json').stdout);
    expect(list.kind).toBe('List');
    expect(runKubectl(e, 'kubectl get svc web -o yaml').stdout).toMatch(
      /^apiVersion: v1\nkind: Service\nmetadata:\n/,
    );
    expect(runKubectl(e, 'kubectl get svc web -o yaml').stdout).toContain('  ports:\n  - port: 80\n');
  });
  it('[K13] multiple types and get all', () => {
    const { e } = seed001();
    const r = runKubectl(e, 'kubectl get all').stdout;
    expect(r).toMatch(/^NAME +READY +STATUS +RESTARTS +AGE\npod\/web-/);
    expect(r).toContain('\n\nNAME                 TYPE        CLUSTER-IP');
    expect(r).toContain('deployment.apps/web   1/1');
    expect(r).toContain('replicaset.apps/web-');
    const a = runKubectl(e, 'kubectl get svc -A').stdout;
    expect(a.split('\n')[0]).toMatch(/^NAMESPACE +NAME +TYPE/);
    expect(a).toContain('kube-system     kube-dns');
  });
  it('[K15] empty lists', () => {
    const r = runKubectl(fresh(), 'kubectl get pods');
    expect(r).toMatchObject({
      stdout: '',
      stderr: 'No resources found in default namespace.\n',
      exitCode: 0,
    });
    expect(runKubectl(fresh(), 'kubectl get netpol -A').stderr).toBe('No resources found\n');
  });
  it('[K16] endpoints derived from EndpointSlices', () => {
    const { e } = seed001();
    expect(runKubectl(e, 'kubectl get ep web').stdout).toMatch(
      /^NAME {3}ENDPOINTS +AGE\nweb {4}10\.244\.\d+\.\d+:80 +0s\n$/,
    );
    runKubectl(e, 'kubectl scale deployment web --replicas=5');
    expect(runKubectl(e, 'kubectl get endpoints web').stdout).toMatch(/:80,.*:80,.*:80 \+ 2 more\.\.\./);
  });
  it('[K11] services: NodePort and LoadBalancer columns', () => {
    const { e } = seed001();
    runKubectl(e, 'kubectl expose deploy web --port=80 --name=np --type=NodePort');
    expect(runKubectl(e, 'kubectl get svc np').stdout).toMatch(
      /np +NodePort +10\.\S+ +<none> +80:3\d{4}\/TCP/,
    );
    const lb = runKubectl(e, 'kubectl get svc -n ingress-nginx').stdout;
    expect(lb).toMatch(/LoadBalancer +10\.\S+ +203\.0\.113\.\d+ +80:\d+\/TCP,443:\d+\/TCP/);
  });
  it('[K11] nodes, namespaces, endpointslices, events', () => {
    const e = fresh();
    expect(runKubectl(e, 'kubectl get nodes').stdout).toBe(
      'NAME     STATUS   ROLES    AGE   VERSION\nnode-a   Ready    <none>   0s    v1.30.4\nnode-b   Ready    <none>   0s    v1.30.4\nnode-c   Ready    <none>   0s    v1.30.4\n',
    );
    expect(runKubectl(e, 'kubectl get ns').stdout).toContain('kube-system       Active   0s');
    expect(runKubectl(e, 'kubectl get endpointslices').stdout).toBe(
      'NAME         ADDRESSTYPE   PORTS   ENDPOINTS    AGE\nkubernetes   IPv4          6443    172.18.0.2   0s\n',
    );
    expect(runKubectl(e, 'kubectl get ev -n kube-system').stdout.split('\n')[0]).toMatch(
      /^LAST SEEN +TYPE +REASON +OBJECT +MESSAGE$/,
    );
  });
  it('[K17] scale, label, delete messages', () => {
    const { e, pod } = seed001();
    expect(runKubectl(e, 'kubectl scale deployment web --replicas=2').stdout).toBe(
      'deployment.apps/web scaled\n',
    );
    expect(runKubectl(e, 'kubectl label svc web tier=fe').stdout).toBe('service/web labeled\n');
    expect(runKubectl(e, 'kubectl label svc web tier=be').stderr).toBe(
      "error: 'tier' already has a value (fe), and --overwrite is false\n",
    );
    expect(runKubectl(e, 'kubectl label deploy/web tier=be --overwrite').stdout).toBe(
      'deployment.apps/web labeled\n',
    );
    expect(runKubectl(e, 'kubectl get svc,deploy -l tier -o name').stdout).toBe(
      'service/web\ndeployment.apps/web\n',
    );
    expect(runKubectl(e, 'kubectl label svc web tier-').stdout).toBe('service/web unlabeled\n');
    expect(runKubectl(e, 'kubectl get svc -l tier=fe').stderr).toBe(
      'No resources found in default namespace.\n',
    );
    expect(runKubectl(e, `kubectl delete pod ${pod}`).stdout).toBe(`pod "${pod}" deleted\n`);
    expect(runKubectl(e, 'kubectl delete svc web').stdout).toBe('service "web" deleted\n');
    expect(runKubectl(e, 'kubectl delete deploy web').stdout).toBe('deployment.apps "web" deleted\n');
  });
  it('[K23] apply from the editor and from a named file', () => {
    const e = fresh();
    const yaml =
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\n  namespace: x\nspec:\n  podSelector: {}\n';
    expect(runKubectl(e, 'kubectl apply -f -', { editorYaml: yaml }).stdout).toBe(
      'namespace/x created\nnetworkpolicy.networking.k8s.io/deny created\n',
    );
    expect(runKubectl(e, 'kubectl apply -f lab.yaml', { files: { 'lab.yaml': yaml } }).stdout).toBe(
      'namespace/x unchanged\nnetworkpolicy.networking.k8s.io/deny unchanged\n',
    );
    expect(runKubectl(e, 'kubectl apply -f nope.yaml').stderr).toBe(
      'error: the path "nope.yaml" does not exist\n',
    );
    expect(runKubectl(e, 'kubectl get netpol -n x').stdout).toBe(
      'NAME   POD-SELECTOR   AGE\ndeny   <none>         0s\n',
    );
  });
  it('[K10] describe service and networkpolicy', () => {
    const { e } = seed001();
    const d = runKubectl(e, 'kubectl describe svc web').stdout;
    // The block is as wide as its widest label, "Internal Traffic Policy:" (24) plus padding 2.
    const f = (k: string): string => `${k}:`.padEnd(26);
    expect(d.startsWith(`${f('Name')}web\n${f('Namespace')}default\n`)).toBe(true);
    expect(d).toContain(`\n${f('Port')}<unset>  80/TCP\n${f('TargetPort')}80/TCP\n${f('Endpoints')}10.244.`);
    runKubectl(e, 'kubectl apply -f -', {
      editorYaml:
        'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n',
    });
    expect(runKubectl(e, 'kubectl describe netpol deny').stdout).toContain(
      'Spec:\n  PodSelector:     <none> (Allowing the specific traffic to all pods in this namespace)\n  Allowing ingress traffic:\n    <none> (Selected pods are isolated for ingress connectivity)\n  Not affecting egress traffic\n  Policy Types: Ingress\n',
    );
    expect(runKubectl(e, `kubectl describe pod ${podOf(e, 'web-')}`).stdout).toContain(
      'Controlled By:  ReplicaSet/web-',
    );
  });
  it('version and cluster-info', () => {
    const e = fresh();
    expect(runKubectl(e, 'kubectl version').stdout).toContain('Server Version: v1.30.4\n');
    expect(runKubectl(e, 'kubectl cluster-info').stdout).toMatch(
      /^Kubernetes control plane is running at https:\/\/172\.18\.0\.2:6443\nCoreDNS is running at/,
    );
  });
});

const run = (engine: Engine, line: string) => runKubectl(engine, line);

describe('kubectl annotate and rollout restart', () => {
  it('[K51] annotate adds, overwrites only with --overwrite, and removes', () => {
    const engine = createEngine();
    run(engine, 'kubectl create deployment web --image=nginx');
    expect(run(engine, 'kubectl annotate deployment web team=blue').stdout).toBe(
      'deployment.apps/web annotated\n',
    );
    expect(run(engine, 'kubectl annotate deployment web team=red').stderr).toBe(
      "error: 'team' already has a value (blue), and --overwrite is false\n",
    );
    run(engine, 'kubectl annotate deployment web team=red --overwrite');
    expect(engine.get('Deployment', 'default', 'web')?.metadata.annotations?.team).toBe('red');
    expect(run(engine, 'kubectl annotate deployment web team-').stdout).toBe(
      'deployment.apps/web unannotated\n',
    );
  });

  it('[K52] rollout restart stamps restartedAt on the template, and the Deployment replaces its pods', () => {
    const engine = createEngine();
    run(engine, 'kubectl create deployment web --image=nginx --replicas=2');
    const before = engine.list('Pod', 'default').map((p) => p.metadata.name);
    expect(run(engine, 'kubectl rollout restart deployment/web').stdout).toBe(
      'deployment.apps/web restarted\n',
    );
    const d = engine.get('Deployment', 'default', 'web') as unknown as {
      spec: { template: { metadata: { annotations: Record<string, string> } } };
    };
    expect(d.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toMatch(
      /^\d{4}-\d\d-\d\dT/,
    );
    const after = engine.list('Pod', 'default').map((p) => p.metadata.name);
    expect(after).toHaveLength(2);
    expect(after.some((n) => before.includes(n))).toBe(false);
    const described = run(engine, 'kubectl describe deployment web').stdout;
    const newRs = engine
      .list('ReplicaSet', 'default')
      .find((r) => (r.spec as { replicas?: number }).replicas === 2)?.metadata.name;
    expect(described).toMatch(new RegExp(`NewReplicaSet:\\s+${newRs} \\(2/2 replicas created\\)`));
    expect(described).toMatch(/OldReplicaSets:\s+web-\w+ \(0\/0 replicas created\)/);
    expect(run(engine, 'kubectl rollout status deployment/web').stdout).toBe(
      'deployment "web" successfully rolled out\n',
    );
    expect(run(engine, 'kubectl rollout undo deployment/web').stderr).toBe(
      'error: unknown command "undo" for "kubectl rollout"\n',
    );
  });
});

describe('apply -f errors as kubectl prints them', () => {
  it('[SD1] a misspelt field is refused by strict decoding, naming the file', () => {
    const engine = createEngine();
    const yaml = [
      'apiVersion: networking.k8s.io/v1',
      'kind: NetworkPolicy',
      'metadata:',
      '  name: deny',
      'spec:',
      '  podSelector: {}',
      '  policyTypse: [Ingress]',
    ].join('\n');
    const r = runKubectl(engine, 'kubectl apply -f editor.yaml', {
      editorYaml: yaml,
      editorName: 'editor.yaml',
    });
    expect(r.stderr).toBe(
      'Error from server (BadRequest): error when creating "editor.yaml": NetworkPolicy in version "v1" cannot be handled as a NetworkPolicy: strict decoding error: unknown field "spec.policyTypse"\n',
    );
    expect(r.exitCode).toBe(1);
  });
});

describe('rollout restart of every Deployment in a namespace', () => {
  it('[K52] rollout restart deployment without a name restarts each one', () => {
    const engine = createEngine();
    runKubectl(engine, 'kubectl create deployment web --image=nginx');
    runKubectl(engine, 'kubectl create deployment api --image=nginx');
    expect(runKubectl(engine, 'kubectl rollout restart deployment').stdout).toBe(
      'deployment.apps/api restarted\ndeployment.apps/web restarted\n',
    );
    expect(runKubectl(engine, 'kubectl rollout restart deployment -n kube-public').stderr).toBe(
      'error: no deployments found in namespace kube-public\n',
    );
  });
});
