import { axisBottom, axisLeft, format, line, scaleLog, select, type Selection } from 'd3';
import type { ModeCost, RuleGrowthPoint } from './ruleGrowthData';

// The rule-growth chart as a plain D3 controller (React only mounts it): two small multiples on
// log–log axes, kube-proxy's rules per node and the rules a new connection traverses, iptables
// against IPVS. A straight rising line on log–log axes with slope 1 is linear growth; a flat line
// is constant cost.

export type Metric = keyof ModeCost;
const MODES = ['iptables', 'ipvs'] as const;
const METRICS = ['rules', 'traversed'] as const;
type Mode = (typeof MODES)[number];
export const MODE_LABEL: Readonly<Record<Mode, string>> = { iptables: 'iptables', ipvs: 'IPVS' };
export const METRIC_LABEL: Readonly<Record<Metric, string>> = {
  rules: 'kube-proxy rules on each node',
  traversed: 'Rules a new connection traverses',
};

const WIDTH = 340;
const PANEL_H = 180;
const M = { top: 26, right: 58, bottom: 34, left: 56 };
const X_DOMAIN: [number, number] = [10, 10000];
const count = format(',');

export interface RuleGrowthChart {
  update(points: readonly RuleGrowthPoint[]): void;
  destroy(): void;
}

export function createRuleGrowthChart({ domNode }: { domNode: HTMLElement }): RuleGrowthChart {
  const svg = select(domNode)
    .append('svg')
    .attr('class', 'rule-growth-chart')
    .attr('viewBox', `0 0 ${WIDTH} ${PANEL_H * 2}`)
    .attr('width', '100%')
    .attr('role', 'img')
    .attr(
      'aria-label',
      'Two log–log charts of kube-proxy cost against the number of Services, iptables and IPVS mode; the table below holds the same numbers.',
    );
  const panels = METRICS.map((metric, i) =>
    svg
      .append('g')
      .attr('class', 'panel-chart')
      .attr('data-metric', metric)
      .attr('transform', `translate(0,${i * PANEL_H})`),
  );
  for (const [i, g] of panels.entries()) {
    const metric = METRICS[i] ?? 'rules';
    g.append('text').attr('class', 'chart-title').attr('x', M.left).attr('y', 14).text(METRIC_LABEL[metric]);
    g.append('g')
      .attr('class', 'axis x')
      .attr('transform', `translate(0,${PANEL_H - M.bottom})`);
    g.append('g').attr('class', 'axis y').attr('transform', `translate(${M.left},0)`);
    g.append('text')
      .attr('class', 'axis-label')
      .attr('x', (M.left + WIDTH - M.right) / 2)
      .attr('y', PANEL_H - 4)
      .attr('text-anchor', 'middle')
      .text('Services (log scale)');
    g.append('g').attr('class', 'series');
  }

  const x = scaleLog()
    .domain(X_DOMAIN)
    .range([M.left, WIDTH - M.right]);

  function drawPanel(
    g: Selection<SVGGElement, unknown, null, undefined>,
    metric: Metric,
    points: readonly RuleGrowthPoint[],
  ) {
    const top = Math.max(100, ...points.flatMap((p) => MODES.map((m) => p[m][metric])));
    const y = scaleLog()
      .domain([10, 10 ** Math.ceil(Math.log10(top))])
      .range([PANEL_H - M.bottom, M.top]);
    g.select<SVGGElement>('.axis.x').call(
      axisBottom(x)
        .tickValues([10, 100, 1000, 10000])
        .tickFormat((d) => count(Number(d))),
    );
    const decades = [];
    for (let v = 10; v <= (y.domain()[1] ?? 10); v *= 10) decades.push(v);
    g.select<SVGGElement>('.axis.y').call(
      axisLeft(y)
        .tickValues(decades)
        .tickFormat((d) => format('.0s')(Number(d))),
    );
    const series = g
      .select('.series')
      .selectAll<SVGGElement, Mode>('g.mode')
      .data(MODES)
      .join((enter) => {
        const s = enter
          .append('g')
          .attr('class', (m) => `mode mode-${m}`)
          .attr('data-mode', (m) => m);
        s.append('path').attr('class', 'line');
        s.append('text').attr('class', 'end-label');
        return s;
      });
    series.each(function (mode) {
      const s = select(this);
      const valueOf = (p: RuleGrowthPoint) => p[mode][metric];
      const path = line<RuleGrowthPoint>()
        .x((p) => x(p.services))
        .y((p) => y(Math.max(10, valueOf(p))));
      s.select('path.line').attr('d', points.length ? path(points) : null);
      const last = points.at(-1);
      s.select('text.end-label')
        .attr('x', last ? x(last.services) + 6 : 0)
        .attr('y', last ? y(Math.max(10, valueOf(last))) + 4 : 0)
        .text(last ? MODE_LABEL[mode] : '');
      s.selectAll<SVGCircleElement, RuleGrowthPoint>('circle')
        .data(points, (p) => String(p.services))
        .join((enter) =>
          enter
            .append('circle')
            .attr('r', 3)
            .call((c) => c.append('title')),
        )
        .attr('cx', (p) => x(p.services))
        .attr('cy', (p) => y(Math.max(10, valueOf(p))))
        .attr('data-services', (p) => p.services)
        .attr('data-value', valueOf)
        .select('title')
        .text((p) => `${MODE_LABEL[mode]}, ${count(p.services)} Services: ${count(valueOf(p))}`);
    });
  }

  return {
    update(points) {
      const sorted = [...points].sort((a, b) => a.services - b.services);
      panels.forEach((g, i) => drawPanel(g, i === 0 ? 'rules' : 'traversed', sorted));
    },
    destroy() {
      svg.remove();
    },
  };
}
