import { describe, expect, it } from 'vitest';
import { createEngine } from '../engine';
import { complete, runKubectl } from './index';
import { tabwrite } from './tabwriter';
import { tokenize } from './tokenize';

describe('completion', () => {
  const e = createEngine();
  runKubectl(e, 'kubectl create deployment web --image=nginx');
  runKubectl(e, 'kubectl expose deployment web --port=80');
  const pod = e.list('Pod', 'default')[0]?.metadata.name ?? '';
  it('[K50] verbs', () => {
    expect(complete(e, 'kubectl g')).toEqual(['get']);
    expect(complete(e, 'k de')).toEqual(['delete', 'describe']);
  });
  it('[K50] resource types and names', () => {
    expect(complete(e, 'kubectl get po')).toEqual(['po', 'pods']);
    expect(complete(e, 'kubectl get pods ')).toEqual([pod]);
    expect(complete(e, 'kubectl get svc -n kube-system ')).toEqual(['kube-dns']);
    expect(complete(e, 'kubectl describe svc/w')).toEqual(['svc/web']);
    expect(complete(e, 'kubectl exec -it ')).toEqual([pod]);
    expect(complete(e, 'kubectl get pods -o ')).toEqual([
      'custom-columns=',
      'json',
      'jsonpath-as-json=',
      'jsonpath=',
      'name',
      'wide',
      'yaml',
    ]);
    expect(complete(e, 'kubectl get pods -o js')).toEqual(['json', 'jsonpath-as-json=', 'jsonpath=']);
    expect(complete(e, 'kubectl get -n kube')).toEqual(['kube-node-lease', 'kube-public', 'kube-system']);
    expect(complete(e, 'kubectl scale --repl')).toEqual(['--replicas']);
  });
});

describe('parsing and layout helpers', () => {
  it('[K1] shell-like words', () => {
    expect(tokenize(`k exec p -- sh -c "wget -qO- 'web'"`).words).toEqual([
      'k',
      'exec',
      'p',
      '--',
      'sh',
      '-c',
      "wget -qO- 'web'",
    ]);
    expect(tokenize('a\\ b').words).toEqual(['a b']);
    expect(tokenize("'open").error).toBeDefined();
  });
  it('[K10] tabwriter columns are per block, the last cell is unpadded', () => {
    expect(tabwrite('NAME\tAGE\na\t1s\n')).toBe('NAME   AGE\na      1s\n');
    expect(tabwrite('A:\tx\nB:\n  long label:\ty\n', { minwidth: 0, padding: 2 })).toBe(
      'A:  x\nB:\n  long label:  y\n',
    );
  });
  it('[K2] flag forms', () => {
    const e = createEngine();
    expect(runKubectl(e, 'kubectl get pods --namespace=kube-system -o=name').stdout).toMatch(
      /^pod\/coredns-/,
    );
    expect(runKubectl(e, 'kubectl -n kube-system get po -oname').stdout).toMatch(/^pod\/coredns-/);
    expect(runKubectl(e, 'kubectl get pods -n').stderr).toBe(
      "error: flag needs an argument: 'n' in -n\nSee 'kubectl get --help' for usage.\n",
    );
  });
});
