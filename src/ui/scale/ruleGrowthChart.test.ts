// @vitest-environment jsdom
// The rule-growth chart draws the engine's numbers: one point per size and mode, on log axes.
import { describe, expect, it } from 'vitest';
import { createRuleGrowthChart } from './ruleGrowthChart';
import { computePoint } from './ruleGrowthData';

describe('rule growth', () => {
  it('[KP17] iptables grows linearly with Services, IPVS stays flat (computed by the engine)', () => {
    const [a, b, c] = [10, 100, 1000].map(computePoint);
    if (!a || !b || !c) throw new Error('no points');
    // 17 rules per Service per node in iptables mode, and the KUBE-SERVICES scan grows by one rule per Service.
    expect(b.iptables.rules - a.iptables.rules).toBe(17 * 90);
    expect(c.iptables.rules - b.iptables.rules).toBe(17 * 900);
    expect(c.iptables.traversed - b.iptables.traversed).toBe(900);
    expect(
      [a.ipvs, b.ipvs, c.ipvs].every((m) => m.rules === a.ipvs.rules && m.traversed === a.ipvs.traversed),
    ).toBe(true);
  });

  it('draws a point per size and mode with its value, and is removed on destroy', () => {
    const host = document.createElement('div');
    const chart = createRuleGrowthChart({ domNode: host });
    const points = [10, 100].map(computePoint);
    chart.update(points);
    const svg = host.querySelector('svg');
    expect(svg?.getAttribute('role')).toBe('img');
    const circles = [...host.querySelectorAll('[data-metric="rules"] .mode-iptables circle')];
    expect(circles.map((c) => Number(c.getAttribute('data-value')))).toEqual(
      points.map((p) => p.iptables.rules),
    );
    expect(host.querySelectorAll('[data-metric="traversed"] .mode-ipvs circle')).toHaveLength(2);
    expect(host.querySelector('[data-metric="rules"] .mode-ipvs title')?.textContent).toBe(
      `IPVS, 10 Services: ${points[0]?.ipvs.rules}`,
    );
    chart.update([...points, computePoint(1000)]);
    expect(host.querySelectorAll('[data-metric="rules"] .mode-iptables circle')).toHaveLength(3);
    chart.destroy();
    expect(host.querySelector('svg')).toBeNull();
  });
});
