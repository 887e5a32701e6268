import { max as d3max, scaleLinear, select } from 'd3';

// A small horizontal bar chart as a plain D3 controller (React only mounts it): one bar per row,
// its label on the left and its value text on the right. The chart is an image for sighted
// readers; every place that mounts one shows the same numbers in a table beside it.

export interface Bar {
  /** Stable key for the data join (a subset, a pod, a status code). */
  readonly key: string;
  readonly label: string;
  readonly value: number;
  /** What is written after the bar: `903 (90.3%)`. */
  readonly text: string;
  /** Drawn in the warning colour (a failed status, a low success rate). */
  readonly bad?: boolean;
}

export interface BarChartOptions {
  readonly domNode: SVGSVGElement;
  /** Text for assistive technology: what the chart shows (its numbers are in the table beside it). */
  readonly title: string;
  readonly reducedMotion: () => boolean;
  /** Width of the label column, px. */
  readonly labelWidth?: number;
}

export interface BarChartUpdate {
  readonly bars: readonly Bar[];
  /** The value a full bar stands for (e.g. 1 for a rate); the largest value when omitted. */
  readonly max?: number;
}

export interface BarChartController {
  update(data: BarChartUpdate): void;
  destroy(): void;
}

export const BAR_H = 18;
const GAP = 6;
const WIDTH = 320;
const VALUE_W = 92;

/** Shortens from the middle, so a pod's generated suffix (what tells replicas apart) stays readable. */
const truncate = (s: string, n: number) => {
  if (s.length <= n) return s;
  const tail = Math.ceil((n - 1) / 2);
  return `${s.slice(0, n - 1 - tail)}…${s.slice(s.length - tail)}`;
};

export function createBarChart({
  domNode,
  title,
  reducedMotion,
  labelWidth = 120,
}: BarChartOptions): BarChartController {
  const svg = select(domNode);
  svg.selectAll('*').remove();
  svg
    .attr('class', 'bar-chart')
    .attr('role', 'img')
    .attr('width', WIDTH)
    .attr('viewBox', `0 0 ${WIDTH} ${BAR_H}`);
  svg.append('title').text(title);
  const body = svg.append('g').attr('class', 'bars');
  const barMax = WIDTH - labelWidth - VALUE_W;

  return {
    update({ bars, max }) {
      const top = max ?? d3max(bars, (b) => b.value) ?? 0;
      const x = scaleLinear()
        .domain([0, top > 0 ? top : 1])
        .range([0, barMax])
        .clamp(true);
      const height = Math.max(BAR_H, bars.length * (BAR_H + GAP) - GAP);
      svg.attr('viewBox', `0 0 ${WIDTH} ${height}`).attr('height', height);
      const row = body
        .selectAll<SVGGElement, Bar>('g.bar-row')
        .data(bars, (b) => b.key)
        .join((enter) => {
          const g = enter.append('g').attr('class', 'bar-row');
          g.append('title');
          g.append('text')
            .attr('class', 'bar-label')
            .attr('x', labelWidth - 6)
            .attr('y', BAR_H / 2)
            .attr('dy', '0.35em')
            .attr('text-anchor', 'end');
          g.append('rect')
            .attr('class', 'bar-track')
            .attr('x', labelWidth)
            .attr('height', BAR_H)
            .attr('width', barMax);
          g.append('rect').attr('class', 'bar').attr('x', labelWidth).attr('height', BAR_H).attr('width', 0);
          g.append('text')
            .attr('class', 'bar-value')
            .attr('x', labelWidth + barMax + 6)
            .attr('y', BAR_H / 2)
            .attr('dy', '0.35em');
          return g;
        })
        .attr('transform', (_b, i) => `translate(0,${i * (BAR_H + GAP)})`)
        .attr('data-key', (b) => b.key);
      row.select('text.bar-label').text((b) => truncate(b.label, Math.floor(labelWidth / 7.4)));
      row.select('text.bar-value').text((b) => b.text);
      row.select('title').text((b) => `${b.label}: ${b.text}`);
      const bar = row.select<SVGRectElement>('rect.bar').classed('bad', (b) => b.bad === true);
      // With reduced motion the bars take their length at once; otherwise they grow to it.
      if (reducedMotion()) bar.interrupt().attr('width', (b) => x(b.value));
      else
        bar
          .transition()
          .duration(250)
          .attr('width', (b) => x(b.value));
    },
    destroy() {
      svg.selectAll('*').interrupt();
      svg.selectAll('*').remove();
    },
  };
}
