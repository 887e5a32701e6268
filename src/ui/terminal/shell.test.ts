import { describe, expect, it } from 'vitest';
import { createEngine } from '../../engine';
import { runLine, toTerminal } from './shell';

const ctx = { editorYaml: '', history: ['kubectl get pods'] };

describe('terminal shell', () => {
  it('runs kubectl and asks for a new snapshot', () => {
    const engine = createEngine();
    const r = runLine(engine, 'kubectl create deployment web --image=nginx', ctx);
    expect(r.stdout).toBe('deployment.apps/web created\n');
    expect(r.refresh).toBe(true);
    expect(engine.list('Deployment', 'default')).toHaveLength(1);
  });

  it('reports other programs as bash does', () => {
    const r = runLine(createEngine(), 'ls -l', ctx);
    expect(r).toMatchObject({ stderr: 'bash: ls: command not found\n', exitCode: 127, refresh: false });
  });

  it('applies the editor content as editor.yaml', () => {
    const engine = createEngine();
    const yaml = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n';
    const r = runLine(engine, 'kubectl apply -f editor.yaml', { ...ctx, editorYaml: yaml });
    expect(r.stdout).toContain('namespace/shop created');
  });

  it('keeps clear and history in the shell', () => {
    expect(runLine(createEngine(), 'clear', ctx).clear).toBe(true);
    expect(runLine(createEngine(), 'history', ctx).stdout).toBe('    1  kubectl get pods\n');
    expect(toTerminal('a\nb\r\n')).toBe('a\r\nb\r\n');
  });
});
