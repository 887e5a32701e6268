import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../engine';
import { runKubectl } from './index';

function lab(): Engine {
  const e = createEngine();
  runKubectl(e, 'kubectl create deployment web --image=nginx');
  runKubectl(e, 'kubectl expose deployment web --port=80');
  runKubectl(e, 'kubectl run client --image=curlimages/curl -- sleep 1d');
  runKubectl(e, 'kubectl run tools --image=registry.k8s.io/e2e-test-images/agnhost:2.47 -- pause');
  return e;
}
const deny =
  'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\nspec:\n  podSelector:\n    matchLabels:\n      app: web\n  policyTypes: [Ingress]\n';

describe('curl failure modes', () => {
  it('[K33] unknown name → exit 6', () => {
    const r = runKubectl(lab(), 'kubectl exec client -- curl nope');
    expect(r.stderr).toBe('curl: (6) Could not resolve host: nope\ncommand terminated with exit code 6\n');
    expect(r.exitCode).toBe(6);
  });
  it('[K33] a Service without endpoints is refused → exit 7', () => {
    const e = lab();
    runKubectl(e, 'kubectl create deployment none --image=nginx --replicas=0');
    runKubectl(e, 'kubectl expose deployment none --port=80');
    const r = runKubectl(e, 'kubectl exec client -- curl none');
    expect(r.stderr).toBe(
      "curl: (7) Failed to connect to none port 80 after 0 ms: Couldn't connect to server\ncommand terminated with exit code 7\n",
    );
    expect(r.exitCode).toBe(7);
    expect(r.connects.at(-1)?.failure).toBe('refused');
  });
  it('[K33] a NetworkPolicy drop times out → exit 28', () => {
    const e = lab();
    runKubectl(e, 'kubectl apply -f -', { editorYaml: deny });
    const r = runKubectl(e, 'kubectl exec client -- curl --max-time 2 web');
    expect(r.stderr).toBe(
      'curl: (28) Connection timed out after 2001 milliseconds\ncommand terminated with exit code 28\n',
    );
    expect(r.connects.at(-1)?.decidedBy?.policy).toContain('deny');
    const slow = runKubectl(e, 'kubectl exec client -- curl web');
    expect(slow.stderr).toContain(
      "curl: (28) Failed to connect to web port 80 after 127000 ms: Couldn't connect to server",
    );
  });
  it('[K33] -s hides the message, -sS shows it', () => {
    const e = lab();
    expect(runKubectl(e, 'kubectl exec client -- curl -s nope').stderr).toBe(
      'command terminated with exit code 6\n',
    );
    expect(runKubectl(e, 'kubectl exec client -- curl -sS nope').stderr).toContain('curl: (6)');
  });
  it('[K32] the DNS query is a traced connection to kube-dns', () => {
    const r = runKubectl(lab(), 'kubectl exec client -- curl -s web');
    expect(r.connects[0]?.service).toBe('kube-system/kube-dns:dns');
    expect(r.connects[1]?.service).toBe('default/web');
  });
  it('[K41] agnhost netexec answers /hostname with the pod name', () => {
    const e = lab();
    runKubectl(
      e,
      'kubectl run echo --image=registry.k8s.io/e2e-test-images/agnhost:2.47 -- netexec --http-port=8080',
    );
    const ip = (e.get('Pod', 'default', 'echo')?.status as { podIP: string }).podIP;
    expect(runKubectl(e, `kubectl exec client -- curl -s http://${ip}:8080/hostname`).stdout).toBe('echo');
  });
});

describe('other tools', () => {
  it('[K31] a tool the image lacks fails like containerd', () => {
    const r = runKubectl(lab(), 'kubectl run bb --rm -it --image=busybox -- curl web');
    expect(r.stderr).toMatch(
      /^error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "curl": executable file not found in \$PATH: unknown\n/,
    );
  });
  it('[K34] busybox wget', () => {
    const e = lab();
    expect(runKubectl(e, 'kubectl run w --rm -it --image=busybox -- wget -qO- web').stdout).toContain(
      'Welcome to nginx!',
    );
    expect(runKubectl(e, 'kubectl run w --rm -it --image=busybox -- wget -qO- nope').stderr).toContain(
      "wget: bad address 'nope'\n",
    );
    runKubectl(e, 'kubectl apply -f -', { editorYaml: deny });
    const t = runKubectl(e, 'kubectl run w --rm -it --image=busybox -- wget --spider --timeout=1 web');
    expect(t.stderr).toMatch(/^Connecting to web \(10\.\d+\.\d+\.\d+:80\)\nwget: download timed out\n/);
  });
  it('[K35] busybox nslookup walks the search list', () => {
    const r = runKubectl(lab(), 'kubectl run n --rm -it --image=busybox -- nslookup web');
    expect(r.stdout).toMatch(
      /^Server:\t\t10\.96\.0\.10\nAddress:\t10\.96\.0\.10:53\n\nName:\tweb\.default\.svc\.cluster\.local\nAddress: 10\.\d+\.\d+\.\d+\n\n\*\* server can't find web\.svc\.cluster\.local: NXDOMAIN\n\n\*\* server can't find web\.cluster\.local: NXDOMAIN\n\n/,
    );
  });
  it('[K35] bind nslookup, NXDOMAIN', () => {
    const e = lab();
    expect(runKubectl(e, 'kubectl exec tools -- nslookup web').stdout).toMatch(
      /^Server:\t\t10\.96\.0\.10\nAddress:\t10\.96\.0\.10#53\n\nName:\tweb\.default\.svc\.cluster\.local\nAddress: 10\./,
    );
    const nx = runKubectl(e, 'kubectl exec tools -- nslookup nope');
    expect(nx.stdout).toContain("** server can't find nope: NXDOMAIN\n");
    expect(nx.exitCode).toBe(1);
  });
  it('[K36] dig does not search unless +search', () => {
    const e = lab();
    const plain = runKubectl(e, 'kubectl exec tools -- dig web').stdout;
    expect(plain).toContain('status: NXDOMAIN');
    expect(plain).toContain(';web.\t\t\tIN\tA');
    const s = runKubectl(e, 'kubectl exec tools -- dig +search web').stdout;
    expect(s).toContain('status: NOERROR');
    expect(s).toMatch(/;; ANSWER SECTION:\nweb\.default\.svc\.cluster\.local\.\t\t\d+\tIN\tA\t10\./);
    expect(runKubectl(e, 'kubectl exec tools -- dig +short web.default.svc.cluster.local').stdout).toMatch(
      /^10\.\d+\.\d+\.\d+\n$/,
    );
  });
  it('[K37] nc -zv', () => {
    const e = lab();
    expect(runKubectl(e, 'kubectl exec tools -- nc -zv web 80').stderr).toMatch(
      /^Connection to web \(10\.\S+\) 80 port \[tcp\/http\] succeeded!\n$/,
    );
    const pod = e.list('Pod', 'default').find((p) => p.metadata.name?.startsWith('web-'));
    const ip = (pod?.status as { podIP: string }).podIP;
    expect(runKubectl(e, `kubectl exec tools -- nc -zv ${ip} 81`).stderr).toBe(
      `nc: connect to ${ip} (${ip}) port 81 (tcp) failed: Connection refused\ncommand terminated with exit code 1\n`,
    );
  });
  it('[K40] resolv.conf, ip addr, hostname', () => {
    const e = lab();
    expect(runKubectl(e, 'kubectl exec client -- cat /etc/resolv.conf').stdout).toBe(
      'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n',
    );
    const ip = (e.get('Pod', 'default', 'client')?.status as { podIP: string }).podIP;
    expect(runKubectl(e, 'kubectl exec client -- ip addr').stdout).toContain(
      `inet ${ip}/32 scope global eth0`,
    );
    expect(runKubectl(e, 'kubectl exec client -- hostname').stdout).toBe('client\n');
    const f = createEngine({ cni: 'flannel' });
    runKubectl(f, 'kubectl run b --image=busybox -- sleep 1d');
    expect(runKubectl(f, 'kubectl exec b -- ip a').stdout).toMatch(
      /inet 10\.244\.\d+\.\d+\/24 brd 10\.244\.\d+\.255 scope global eth0/,
    );
  });
});
