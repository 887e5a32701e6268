import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../engine';
import { runKubectl } from './index';
import { executeJsonPath, parseJsonPath } from './jsonpath';

function cluster(): { e: Engine; pods: { name: string; ip: string }[]; svcIp: string } {
  const e = createEngine();
  runKubectl(e, 'kubectl create deployment web --image=nginx --replicas=2');
  runKubectl(e, 'kubectl expose deployment web --port=80');
  const pods = e
    .list('Pod', 'default')
    .map((p) => ({
      name: p.metadata.name ?? '',
      ip: (p as { status?: { podIP?: string } }).status?.podIP ?? '',
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const svc = e.list('Service', 'default').find((s) => s.metadata.name === 'web') as
    { spec?: { clusterIP?: string } } | undefined;
  return { e, pods, svcIp: svc?.spec?.clusterIP ?? '' };
}

/** Runs a template on plain data, as the printer does. */
const jp = (tpl: string, data: unknown, allowMissingKeys = true): string => {
  const t = parseJsonPath(tpl);
  if ('error' in t) return t.error;
  const r = executeJsonPath(t, data, { allowMissingKeys });
  return 'error' in r ? r.error : r.stdout;
};

describe('kubectl get -o jsonpath on a real cluster', () => {
  it('[K53] the tutorial one-liners print the engine’s IPs with no newline added', () => {
    const { e, pods, svcIp } = cluster();
    expect(pods).toHaveLength(2);
    const first = pods[0] as { name: string; ip: string };
    expect(first.ip).toMatch(/^10\.244\.\d+\.\d+$/);
    const one = runKubectl(e, `kubectl get pod ${first.name} -o jsonpath='{.status.podIP}'`);
    expect(one).toMatchObject({ stdout: first.ip, stderr: '', exitCode: 0 });
    const all = runKubectl(e, `kubectl get pods -o jsonpath='{.items[*].status.podIP}'`).stdout;
    expect(all.split(' ').sort()).toEqual(pods.map((p) => p.ip).sort());
    expect(runKubectl(e, `kubectl get svc web -o jsonpath='{.spec.clusterIP}'`).stdout).toBe(svcIp);
    expect(runKubectl(e, 'kubectl get svc web -o=jsonpath={.spec.ports[0].port}').stdout).toBe('80');
  });
  it('[K53] range/end with quoted tab and newline literals', () => {
    const { e, pods } = cluster();
    const r = runKubectl(
      e,
      `kubectl get pods -o jsonpath='{range .items[*]}{.metadata.name}{"\\t"}{.status.podIP}{"\\n"}{end}'`,
    );
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual(pods.map((p) => `${p.name}\t${p.ip}`).sort());
    expect(r.stdout.endsWith('\n')).toBe(true);
  });
  it('[K53] filters, recursive descent, maps as JSON, text outside braces', () => {
    const { e, pods } = cluster();
    const name = (pods[0] as { name: string }).name;
    expect(
      runKubectl(e, `kubectl get pod ${name} -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}'`)
        .stdout,
    ).toBe('True');
    expect(runKubectl(e, `kubectl get svc web -o jsonpath='{..port}'`).stdout).toBe('80');
    expect(runKubectl(e, `kubectl get svc web -o jsonpath='{.spec.selector}'`).stdout).toBe('{"app":"web"}');
    expect(
      runKubectl(e, `kubectl get svc web -o jsonpath='ip={.spec.clusterIP} kind={.kind}'`).stdout,
    ).toMatch(/^ip=10\.\d+\.\d+\.\d+ kind=Service$/);
    expect(runKubectl(e, `kubectl get pods -o jsonpath='{.kind} {.items[-1:].kind}'`).stdout).toBe(
      'List Pod',
    );
    expect(runKubectl(e, 'kubectl get svc web -o jsonpath-as-json={.spec.ports[*].port}').stdout).toBe(
      '[\n    80\n]\n',
    );
  });
  it('[K53] missing keys print nothing unless --allow-missing-template-keys=false', () => {
    const { e } = cluster();
    expect(runKubectl(e, `kubectl get svc web -o jsonpath='{.foo}'`)).toMatchObject({
      stdout: '',
      exitCode: 0,
    });
    const r = runKubectl(e, `kubectl get svc web -o jsonpath='{.foo}' --allow-missing-template-keys=false`);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(
      /^error: error executing jsonpath "\{\.foo\}": Error executing template: foo is not found\. Printing more information for debugging the template:\n\ttemplate was:\n\t\t\{\.foo\}\n\tobject given to jsonpath engine was:\n\t\tmap\[string\]interface \{\}\{"apiVersion":"v1", "kind":"Service", /,
    );
    expect(r.stderr.endsWith('}}\n\n')).toBe(true);
  });
  it('[K53] kubectl’s errors: no template, parse error, out of bounds, NotFound, no resources', () => {
    const { e } = cluster();
    expect(runKubectl(e, 'kubectl get pods -o jsonpath').stderr).toBe(
      'error: template format specified but no template given\n',
    );
    expect(runKubectl(e, `kubectl get pods -o jsonpath='{.items'`).stderr).toBe(
      'error: error parsing jsonpath {.items, unclosed action\n',
    );
    expect(runKubectl(e, `kubectl get svc web -o jsonpath='{.spec.ports[3]}'`).stderr).toContain(
      'Error executing template: array index out of bounds: index 3, length 1. ',
    );
    expect(runKubectl(e, `kubectl get svc nope -o jsonpath='{.metadata.name}'`)).toMatchObject({
      stdout: '',
      stderr: 'Error from server (NotFound): services "nope" not found\n',
      exitCode: 1,
    });
    expect(runKubectl(e, `kubectl get pods -n empty -o jsonpath='{.items[*].metadata.name}'`)).toMatchObject({
      stdout: '',
      stderr: '',
      exitCode: 0,
    });
    expect(runKubectl(e, 'kubectl get pods -o jsonpat').stderr).toContain('unable to match a printer');
  });
});

describe('client-go JSONPath semantics', () => {
  const data = {
    items: [
      { name: 'a', n: 1, tags: ['x', 'y'], ok: true },
      { name: 'b', n: 2, tags: [], ok: false },
      { name: 'c', n: 3 },
    ],
    labels: { 'app.kubernetes.io/name': 'web', tier: 'front' },
  };
  it('[K53] indexes, slices, unions and wildcards', () => {
    expect(jp('{.items[0].name}', data)).toBe('a');
    expect(jp('{.items[-1].name}', data)).toBe('c');
    expect(jp('{.items[0:2].name}', data)).toBe('a b');
    expect(jp('{.items[::2].name}', data)).toBe('a c');
    expect(jp('{.items[0,2].name}', data)).toBe('a c');
    expect(jp('{.items[*].tags[*]}', data)).toBe('x y');
    expect(jp('{.labels.*}', data)).toBe('web front');
    expect(jp("{.labels['tier']}", data)).toBe('front');
    expect(jp('{.labels.app\\.kubernetes\\.io/name}', data)).toBe('web');
    expect(jp('{.items[*].tags}', data)).toBe('["x","y"] []');
  });
  it('[K53] filter operators and existence', () => {
    expect(jp('{.items[?(@.n>1)].name}', data)).toBe('b c');
    expect(jp('{.items[?(@.n<=2)].name}', data)).toBe('a b');
    expect(jp('{.items[?(@.name!="b")].name}', data)).toBe('a c');
    expect(jp('{.items[?(@.name=~"^[ab]$")].name}', data)).toBe('a b');
    expect(jp('{.items[?(@.ok==false)].name}', data)).toBe('b');
    expect(jp('{.items[?(@.tags)].name}', data)).toBe('a b');
    expect(jp('{.items[?(@.name==1)].name}', data)).toContain(
      'Error executing template: incompatible types for comparison. ',
    );
  });
  it('[K53] nested range, literals with escapes, end outside range', () => {
    expect(jp('{range .items[*]}[{range .tags[*]}{@}{end}]{end}', data)).toBe('[xy][][]');
    expect(jp('{\'a\\tb\'}{"\\u00e9"}', data)).toBe('a\tb\u00e9');
    expect(jp('{end}', data)).toContain('Error executing template: not in range, nothing to end. ');
    expect(jp('{.items[x]}', data)).toBe('error: error parsing jsonpath {.items[x]}, invalid array index x');
    expect(jp('{#}', data)).toBe(
      "error: error parsing jsonpath {#}, unrecognized character in action: U+0023 '#'",
    );
  });
});

describe('kubectl get -o custom-columns', () => {
  it('[K54] headers as given, one row per pod, <none> for missing paths', () => {
    const { e, pods } = cluster();
    const r = runKubectl(
      e,
      'kubectl get pods -o custom-columns=NAME:.metadata.name,IP:{.status.podIP},X:spec.nope',
    );
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines[0]).toMatch(/^NAME +IP +X$/);
    expect(lines.slice(1).map((l) => l.split(/ +/).join(' '))).toEqual(
      pods.map((p) => `${p.name} ${p.ip} <none>`),
    );
    const svc = runKubectl(
      e,
      'kubectl get svc web --no-headers -o custom-columns=PORTS:.spec.ports[*].port,T:.spec.type',
    );
    expect(svc.stdout).toBe('80    ClusterIP\n');
    expect(runKubectl(e, 'kubectl get pods -o custom-columns=NAME').stderr).toBe(
      'error: unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>\n',
    );
    expect(runKubectl(e, 'kubectl get pods -o custom-columns=').stderr).toBe(
      'error: custom-columns format specified but no custom columns given\n',
    );
  });
});
