import { describe, expect, it } from 'vitest';
import { createLabStore } from '../../store/labStore';
import { runLine, toTerminal, type ShellContext } from './shell';

const shell = (editorYaml = '') => {
  const store = createLabStore({}, { name: 'empty', yaml: '' });
  const ctx: ShellContext = {
    history: ['kubectl get pods'],
    kubectl: (line) => store.getState().kubectl(line, editorYaml),
  };
  return { store, ctx };
};

describe('terminal shell', () => {
  it('runs kubectl through the lab store, which records the command', () => {
    const { store, ctx } = shell();
    const r = runLine('kubectl create deployment web --image=nginx', ctx);
    expect(r.stdout).toBe('deployment.apps/web created\n');
    expect(store.getState().snapshot.deployments.map((d) => d.metadata?.name)).toContain('web');
    expect(store.getState().record.ops).toEqual([
      { op: 'kubectl', line: 'kubectl create deployment web --image=nginx' },
    ]);
  });

  it('reports other programs as bash does, without touching the lab', () => {
    const { store, ctx } = shell();
    const r = runLine('ls -l', ctx);
    expect(r).toMatchObject({ stderr: 'bash: ls: command not found\n', exitCode: 127 });
    expect(store.getState().record.ops).toEqual([]);
  });

  it('applies the editor content as editor.yaml', () => {
    const yaml = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n';
    const { ctx } = shell(yaml);
    expect(runLine('kubectl apply -f editor.yaml', ctx).stdout).toContain('namespace/shop created');
  });

  it('keeps clear and history in the shell', () => {
    const { ctx } = shell();
    expect(runLine('clear', ctx).clear).toBe(true);
    expect(runLine('history', ctx).stdout).toBe('    1  kubectl get pods\n');
    expect(toTerminal('a\nb\r\n')).toBe('a\r\nb\r\n');
  });
});
