import { describe, expect, it } from 'vitest';
import { createLabStore } from '../../store/labStore';
import { runLine, toTerminal, type ShellContext } from './shell';

const shell = (editorYaml = '') => {
  const store = createLabStore({}, { name: 'empty', yaml: '' });
  const ctx: ShellContext = {
    history: ['kubectl get pods'],
    kubectl: (line) => store.getState().kubectl(line, editorYaml),
    sleep: (seconds) => store.getState().advance(seconds),
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

  it("sleep moves the lab's clock by the sum of its operands, recorded; bad intervals are refused as GNU sleep does", () => {
    const { store, ctx } = shell();
    const before = store.getState().engine.now();
    expect(runLine('sleep 30', ctx)).toMatchObject({ stdout: '', stderr: '', exitCode: 0 });
    expect(runLine('sleep 1m 0.5', ctx).exitCode).toBe(0);
    expect(store.getState().engine.now()).toBe(before + 90.5);
    expect(store.getState().record.ops).toEqual([
      { op: 'advance', seconds: 30 },
      { op: 'advance', seconds: 60.5 },
    ]);
    expect(runLine('sleep', ctx)).toMatchObject({
      stderr: "sleep: missing operand\nTry 'sleep --help' for more information.\n",
      exitCode: 1,
    });
    expect(runLine('sleep soon', ctx)).toMatchObject({
      stderr: "sleep: invalid time interval 'soon'\nTry 'sleep --help' for more information.\n",
      exitCode: 1,
    });
    expect(runLine('sleep 2d', ctx)).toMatchObject({
      stderr: "sleep: the lab's clock moves at most 86400 seconds at a time\n",
      exitCode: 1,
    });
    expect(store.getState().record.ops).toHaveLength(2);
  });

  it('keeps clear and history in the shell', () => {
    const { ctx } = shell();
    expect(runLine('clear', ctx).clear).toBe(true);
    expect(runLine('history', ctx).stdout).toBe('    1  kubectl get pods\n');
    expect(toTerminal('a\nb\r\n')).toBe('a\r\nb\r\n');
  });
});
