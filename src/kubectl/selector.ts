// Label selector strings as kubectl's -l takes them (apimachinery pkg/labels/selector.go Parse):
// `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, comma-separated and ANDed.
import type { LabelSelector, LabelSelectorRequirement } from 'kubernetes-types/meta/v1';

export function parseSelector(text: string): LabelSelector | { error: string } {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  const exprs: LabelSelectorRequirement[] = [];
  for (const raw of parts) {
    const p = raw.trim();
    if (!p) continue;
    let m: RegExpExecArray | null;
    if ((m = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(p)))
      exprs.push({ key: m[1] as string, operator: m[2] === '!=' ? 'NotIn' : 'In', values: [m[3] as string] });
    else if ((m = /^([\w./-]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(p)))
      exprs.push({
        key: m[1] as string,
        operator: m[2] === 'in' ? 'In' : 'NotIn',
        values: (m[3] as string).split(',').map((v) => v.trim()),
      });
    else if ((m = /^!\s*([\w./-]+)$/.exec(p))) exprs.push({ key: m[1] as string, operator: 'DoesNotExist' });
    else if ((m = /^([\w./-]+)$/.exec(p))) exprs.push({ key: m[1] as string, operator: 'Exists' });
    else
      return { error: `unable to parse requirement: found '${p}', expected: in, notin, =, ==, !=, gt, lt` };
  }
  return { matchExpressions: exprs };
}
