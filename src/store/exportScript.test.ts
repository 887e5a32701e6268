import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { engineProbes, exportScript, labScript, lessonProbes, shq, type ScriptProbe } from './exportScript';
import { replayLab, type LabRecord } from './labRecord';

const record: LabRecord = {
  name: 'Policy lab',
  settings: { seed: 3, cni: 'calico' },
  yaml: `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: nginx, image: nginx, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: empty, namespace: shop}
spec: {selector: {app: nothing}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: shop, labels: {role: client}}
spec: {containers: [{name: c, image: nginx}]}
---
apiVersion: v1
kind: Pod
metadata: {name: intruder, namespace: shop, labels: {role: intruder}}
spec: {containers: [{name: c, image: nginx}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-from-client, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: [{from: [{podSelector: {matchLabels: {role: client}}}]}]
`,
  ops: [],
};

const hasBash = spawnSync('bash', ['--version']).status === 0;

/** A kubectl stand-in: logs its argv, answers `get` and `exec` from files, never runs its arguments. */
function fakeKubectl(dir: string, execExit: number): string {
  const path = join(dir, 'kubectl');
  writeFileSync(
    path,
    `#!/usr/bin/env bash
printf '%s\\n' "$*" >> ${shq(join(dir, 'argv.log'))}
case "$1" in
  apply) cat > ${shq(join(dir, 'applied.yaml'))} ;;
  get) printf 'some-pod' ;;
  exec) exit ${execExit} ;;
esac
exit 0
`,
    { mode: 0o755 },
  );
  return path;
}

function run(script: string, execExit: number) {
  const dir = mkdtempSync(join(tmpdir(), 'lab-script-'));
  const file = join(dir, 'lab.sh');
  writeFileSync(file, script);
  const r = spawnSync('bash', [file], {
    cwd: dir,
    env: { ...process.env, KUBECTL: fakeKubectl(dir, execExit) },
    encoding: 'utf8',
  });
  return { ...r, dir };
}

describe('engineProbes', () => {
  const { engine } = replayLab(record);

  it('predicts each client to each Service port from the simulated cluster', () => {
    const probes = engineProbes(engine);
    const find = (from: string, svc: string) =>
      probes.find((p) => p.label.startsWith(from) && p.label.includes(`${svc}.shop`))?.expect;
    expect(find('shop/client', 'web')).toBe('delivered');
    expect(find('shop/intruder', 'web')).toBe('blocked');
    // No endpoints: kube-proxy rejects (iptables REJECT), which a client sees as refused.
    expect(find('shop/client', 'empty')).toBe('refused');
    // The Deployment's pods are one client, found by their labels.
    expect(probes.some((p) => p.from.selector === 'app=web')).toBe(true);
  });

  it('leaves the lab unchanged while it probes', () => {
    const before = engine.snapshot();
    const line = engine.conntrackTable('node-1');
    engineProbes(engine);
    expect(engine.snapshot()).toBe(before);
    expect(engine.conntrackTable('node-1')).toEqual(line);
  });
});

describe('lessonProbes', () => {
  it('carries connect and DNS checks with the lesson expectations, skipping what exec cannot do', () => {
    const { engine } = replayLab(record);
    const { probes, skipped } = lessonProbes(engine, [
      { connect: { from: 'shop/intruder', to: 'web.shop:80', expect: 'blocked' } },
      {
        connect: {
          from: { selector: 'app=web', namespace: 'shop' },
          to: { pod: 'shop/client' },
          port: 80,
          expect: 'delivered',
        },
      },
      { connect: { from: 'external', to: { service: 'shop/web', via: 'nodePort' }, expect: 'delivered' } },
      { dns: { from: 'shop/client', name: 'web.shop', expectRcode: 'NOERROR' } },
      { cni: 'calico' },
    ]);
    expect(probes).toHaveLength(3);
    expect(probes[0]).toMatchObject({ kind: 'tcp', to: { host: 'web.shop' }, port: 80, expect: 'blocked' });
    expect(probes[1]).toMatchObject({ to: { podIP: { namespace: 'shop', name: 'client' } } });
    expect(skipped[0]).toMatch(/external/);
  });
});

describe('labScript', () => {
  const { engine } = replayLab(record);

  it("checks a lesson task's connections, with the task's expectations, instead of the predictions", () => {
    const script = labScript(engine, record, [
      {
        label: 'the intruder is kept out',
        connect: { from: 'shop/intruder', to: 'web.shop:80', expect: 'blocked' },
      },
      { deploymentReady: { namespace: 'shop', name: 'web' } },
    ]);
    expect(script).toMatch(
      /^check_tcp 'blocked' 'the intruder is kept out' 'shop' name 'intruder' host 'web\.shop'/m,
    );
    expect(script.match(/^check_(tcp|dns) /gm)).toHaveLength(1);
    expect(script).not.toContain('web.shop.svc.cluster.local');
  });

  it('falls back to what the simulation predicts when the task checks no connection', () => {
    const script = labScript(engine, record, [{ deploymentReady: { namespace: 'shop', name: 'web' } }]);
    expect(script).toBe(labScript(engine, record));
    expect(script).toContain("'shop/intruder -> web.shop.svc.cluster.local:80'");
  });
});

describe('exportScript', () => {
  const { engine } = replayLab(record);
  const script = labScript(engine, record);

  it('applies the manifests, waits, and checks each expectation', () => {
    expect(script.startsWith('#!/usr/bin/env bash')).toBe(true);
    expect(script).toContain('set -u');
    expect(script).toContain(`"$KUBECTL" apply -f - <<'K8S_NET_LAB_MANIFESTS'`);
    expect(script).toMatch(/wait -n 'shop' --for=condition=Available deployment --all --timeout=120s/);
    expect(script).toMatch(/wait -n 'shop' --for=condition=Ready pod --all --timeout=120s/);
    expect(script).toMatch(/check_tcp 'blocked' 'shop\/intruder -> web\.shop\.svc\.cluster\.local:80'/);
    expect(script).toContain('agnhost:2.47');
  });

  it.runIf(hasBash)('is valid bash', () => {
    expect(() => execFileSync('bash', ['-n'], { input: script })).not.toThrow();
  });

  it.runIf(hasBash)('prints EXPECT/GOT lines and exits non-zero on a mismatch', () => {
    // Every exec exits 0: every connection "delivered", so the blocked and refused ones mismatch.
    const r = run(script, 0);
    expect(r.stdout).toMatch(/EXPECT delivered +GOT delivered +ok +shop\/client -> web\.shop/);
    expect(r.stdout).toMatch(/EXPECT blocked +GOT delivered +MISMATCH +shop\/intruder -> web\.shop/);
    expect(r.stdout).toMatch(/\d+ ok, \d+ mismatched, 0 could not run/);
    expect(r.status).toBe(1);
    expect(readFileSync(join(r.dir, 'applied.yaml'), 'utf8')).toContain('name: web-from-client');
    // exit 28 is curl's timeout: what a dropped packet looks like.
    expect(run(script, 28).stdout).toMatch(/EXPECT blocked +GOT blocked +ok/);
  });

  it.runIf(hasBash)('never runs what a name or a manifest holds', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-hostile-'));
    const marker = join(dir, 'pwned');
    const evil = `x'; touch ${marker}; echo '$(touch ${marker})\`touch ${marker}\``;
    const probes: ScriptProbe[] = [
      {
        kind: 'tcp',
        label: evil,
        from: { namespace: evil, name: evil },
        to: { host: evil },
        port: 80,
        expect: 'delivered',
      },
      { kind: 'dns', label: evil, from: { namespace: evil, selector: evil }, name: evil, expect: 'NOERROR' },
    ];
    const manifests = `kind: ConfigMap\nmetadata: {name: a, annotations: {x: "$(touch ${marker})"}}\nK8S_NET_LAB_MANIFESTS\n$(touch ${marker})\n`;
    const s = exportScript({
      labName: `lab\n$(touch ${marker})`,
      manifests,
      namespaces: [evil],
      probes,
      cni: 'calico',
      skipped: [evil],
    });
    const r = run(s, 0);
    expect(existsSync(marker)).toBe(false);
    expect(r.stdout).toContain(evil);
    // The manifests reach kubectl byte for byte, the delimiter-looking line included.
    expect(readFileSync(join(r.dir, 'applied.yaml'), 'utf8')).toBe(manifests);
  });
});
