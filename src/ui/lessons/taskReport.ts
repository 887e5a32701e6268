import { evaluateChecks } from '../../lessons/checks';
import type { Check, CheckReport, TaskStart } from '../../lessons/types';
import type { LabState } from '../../store/labStore';

/**
 * A lab-store selector for a task's check report on the cluster as it is now. Checks read
 * the nodes' kernel state as well as the objects — conntrack tables, kube-proxy's recent lists,
 * CoreDNS's cache ([CK9] reads the conntrack table as the learner left it) — and a connection changes that state without changing any object: after
 * `kubectl exec loadgen -- curl -s web:80` the engine hands back the same snapshot, while node-c's
 * conntrack table holds two more entries. Every action that can change kernel state is recorded,
 * so the report is recomputed when the engine, the snapshot or the lab record changes, and is the
 * same object otherwise (the panel re-renders only on a real change).
 */
export function taskReportSelector(
  checks: readonly Check[],
  start: TaskStart,
): (state: LabState) => CheckReport {
  let memo: {
    readonly engine: LabState['engine'];
    readonly snapshot: LabState['snapshot'];
    readonly record: LabState['record'];
    readonly report: CheckReport;
  } | null = null;
  return ({ engine, snapshot, record }) => {
    if (memo && memo.engine === engine && memo.snapshot === snapshot && memo.record === record)
      return memo.report;
    const report = evaluateChecks(engine, checks, start);
    memo = { engine, snapshot, record, report };
    return report;
  };
}
