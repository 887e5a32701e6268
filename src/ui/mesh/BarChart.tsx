import { useEffect, useRef } from 'react';
import { createBarChart, type Bar, type BarChartController } from './barChart';

const prefersReducedMotion = () =>
  typeof window !== 'undefined' && window.matchMedia?.('(prefers-reduced-motion: reduce)').matches === true;

interface BarChartProps {
  /** The chart's heading, also its accessible name. */
  readonly title: string;
  readonly bars: readonly Bar[];
  readonly max?: number;
  /** Header of the table's first column (`Subset`, `Pod`, `Status`). */
  readonly labelHeader: string;
  readonly valueHeader: string;
  readonly testId: string;
  readonly labelWidth?: number;
}

/** Mounts the D3 bar chart controller, with the same numbers as a table for screen readers and keyboards. */
export function BarChart({ title, bars, max, labelHeader, valueHeader, testId, labelWidth }: BarChartProps) {
  const svgRef = useRef<SVGSVGElement>(null);
  const controller = useRef<BarChartController | null>(null);

  useEffect(() => {
    const domNode = svgRef.current;
    if (!domNode) return;
    const c = createBarChart({ domNode, title, reducedMotion: prefersReducedMotion, labelWidth });
    controller.current = c;
    return () => {
      c.destroy();
      controller.current = null;
    };
  }, [title, labelWidth]);

  useEffect(() => {
    controller.current?.update(max === undefined ? { bars } : { bars, max });
  }, [bars, max, title, labelWidth]);

  return (
    <figure className="mesh-chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <svg ref={svgRef} aria-label={title} />
      <details className="chart-table">
        <summary>{title} as a table</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{labelHeader}</th>
              <th scope="col">{valueHeader}</th>
            </tr>
          </thead>
          <tbody>
            {bars.map((b) => (
              <tr key={b.key} data-key={b.key} data-value={b.value}>
                <th scope="row">{b.label}</th>
                <td>{b.text}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
