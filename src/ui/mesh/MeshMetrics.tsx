import { useMemo } from 'react';
import { ISTIO_COST } from '../../store/labStore';
import { selectMeshCost, selectMeshMetrics } from '../../store/selectors';
import { useLab } from '../useLab';
import { BarChart } from './BarChart';
import { metricBars, ms } from './meshFormat';

/**
 * What the sidecars report per Service (requests, success rate, p50/p99 latency), and beside it
 * what they cost, in Istio's published figures, so whether a mesh pays off can be argued with numbers.
 */
export function MeshMetrics() {
  const metrics = useLab(selectMeshMetrics);
  const cost = useLab(selectMeshCost);
  const bars = useMemo(() => metricBars(metrics), [metrics]);
  const gb = (mb: number) => (mb >= 1024 ? `${(mb / 1024).toFixed(1)} GB` : `${mb} MB`);

  return (
    <div className="mesh-observe">
      <section className="mesh-metrics" data-testid="mesh-metrics" aria-label="Per-Service metrics">
        <h3>Per-Service metrics</h3>
        {metrics.length === 0 ? (
          <p className="muted">The sidecars have reported nothing yet: send some requests.</p>
        ) : (
          <>
            <p className="muted">Over every batch sent in this lab, per destination Service.</p>
            <BarChart
              title="Requests"
              bars={bars.requests}
              labelHeader="Service"
              valueHeader="Requests"
              testId="metric-requests"
            />
            <BarChart
              title="Success rate"
              bars={bars.success}
              max={1}
              labelHeader="Service"
              valueHeader="Success rate"
              testId="metric-success"
            />
            <BarChart
              title="Latency p50 and p99"
              bars={bars.latency}
              labelHeader="Service and quantile"
              valueHeader="Latency"
              testId="metric-latency"
              labelWidth={140}
            />
          </>
        )}
      </section>
      <section className="mesh-cost" data-testid="mesh-cost" aria-label="What the sidecars cost">
        <h3>What the sidecars cost</h3>
        <table>
          <caption>
            {cost.sidecars} Istio sidecar{cost.sidecars === 1 ? '' : 's'} in {cost.pods} pods
          </caption>
          <tbody>
            <tr>
              <th scope="row">Memory, per sidecar</th>
              <td>{ISTIO_COST.memoryMBPerSidecar} MB</td>
            </tr>
            <tr>
              <th scope="row">Memory, all sidecars</th>
              <td data-field="memory">{gb(cost.memoryMB)}</td>
            </tr>
            <tr>
              <th scope="row">CPU at {cost.rps} requests/s each</th>
              <td>
                {ISTIO_COST.vcpuPerSidecarAt1000Rps} vCPU per sidecar, {cost.vcpuAtRps} vCPU in all
              </td>
            </tr>
            <tr>
              <th scope="row">Control plane (istiod)</th>
              <td>
                {ISTIO_COST.controlPlane.vcpu} vCPU, {gb(ISTIO_COST.controlPlane.memoryMB)}
              </td>
            </tr>
            <tr>
              <th scope="row">Added latency per request (client and server sidecar)</th>
              <td data-field="latency">
                {ms(cost.addedLatencyMsP90PerRequest)} at p90, {ms(cost.addedLatencyMsP99PerRequest)} at p99
              </td>
            </tr>
          </tbody>
        </table>
        {metrics.length > 0 && (
          <p>
            Measured here:{' '}
            {metrics.map((m) => `${m.service} p50 ${ms(m.p50Ms)}, p99 ${ms(m.p99Ms)}`).join('; ')}. Istio
            measured its two sidecars adding about {ms(ISTIO_COST.addedLatencyMsP99)} at p99 to a request like
            these.
          </p>
        )}
        <p className="muted">
          A mesh pays off when mutual TLS, retries, traffic splitting and these metrics (without changing the
          applications) are worth this memory and CPU on every pod and the extra milliseconds on every hop.
        </p>
        <p className="mesh-sources">
          Sources:{' '}
          <a href={ISTIO_COST.sources[0]} target="_blank" rel="noreferrer">
            Istio 1.24, performance and scalability
          </a>{' '}
          (&ldquo;about 0.20 vCPU and 60 MB of memory&rdquo; per sidecar at 1000 requests/s; istiod 1 vCPU and
          1.5 GB), and{' '}
          <a href={ISTIO_COST.sources[1]} target="_blank" rel="noreferrer">
            Istio 1.12.3, performance and scalability
          </a>{' '}
          (the two proxies add about 1.7 ms and 2.7 ms to the 90th and 99th percentile latency). The lab draws
          each request&apos;s sidecar time from a curve through those percentiles.
        </p>
      </section>
    </div>
  );
}
