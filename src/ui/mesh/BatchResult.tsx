import { useMemo } from 'react';
import type { RequestBatch } from '../../store/labStore';
import { BarChart } from './BarChart';
import { backendBars, flagText, ms, percent, retriedRequests, statusBars, subsetBars } from './meshFormat';

/** How many retried or failed requests the list shows (the counts above cover them all). */
const LIST_LIMIT = 12;

/** The last batch: its split per subset and per pod, its status codes, and the requests that needed retries. */
export function BatchResult({ batch }: { batch: RequestBatch }) {
  const subsets = useMemo(() => subsetBars(batch), [batch]);
  const backends = useMemo(() => backendBars(batch), [batch]);
  const statuses = useMemo(() => statusBars(batch), [batch]);
  const listed = useMemo(() => retriedRequests(batch), [batch]);
  const ok = Math.round(batch.successRate * batch.count);

  return (
    <section className="mesh-batch" data-testid="mesh-batch" aria-label="Last batch of requests">
      <h3>
        {batch.count} requests from {batch.from} to {batch.service}
      </h3>
      <p data-testid="mesh-summary">
        {batch.meshed
          ? `Through the client's sidecar${batch.virtualService ? `, routed by VirtualService ${batch.virtualService}` : ' (no VirtualService: the default route over all ready endpoints)'}.`
          : 'The client has no sidecar: kube-proxy picked the endpoints, and no VirtualService or retry applies.'}{' '}
        Success {percent(ok, batch.count)}, {batch.retries} retries, latency p50 {ms(batch.p50Ms)}, p99{' '}
        {ms(batch.p99Ms)}.
      </p>
      <BarChart
        title="Split by subset"
        bars={subsets}
        max={batch.count}
        labelHeader="Subset"
        valueHeader="Requests (share)"
        testId="split-subsets"
        labelWidth={90}
      />
      <BarChart
        title="Split by backend pod"
        bars={backends}
        max={batch.count}
        labelHeader="Pod"
        valueHeader="Requests (share)"
        testId="split-backends"
        labelWidth={150}
      />
      <BarChart
        title="Status codes"
        bars={statuses}
        max={batch.count}
        labelHeader="Status"
        valueHeader="Requests (share)"
        testId="split-statuses"
        labelWidth={90}
      />
      <section className="mesh-retries" data-testid="mesh-retries" aria-label="Retries and failures">
        <h4>Retries and failures</h4>
        {listed.length === 0 ? (
          <p className="muted">Every request succeeded on its first try.</p>
        ) : (
          <>
            <p>
              {batch.retries} retries over {listed.filter((r) => r.attempts.length > 1).length} requests;{' '}
              {batch.count - ok} requests failed in the end.
              {listed.length > LIST_LIMIT ? ` The first ${LIST_LIMIT} are listed.` : ''}
            </p>
            <ol className="retry-list">
              {listed.slice(0, LIST_LIMIT).map((r) => (
                <li key={r.index} data-testid="retried-request">
                  <span>
                    Request #{r.index + 1}: {r.status === 0 ? 'no response' : r.status}
                    {r.flag ? ` ${flagText(r.flag)}` : ''} after {r.attempts.length}{' '}
                    {r.attempts.length === 1 ? 'try' : 'tries'}, {ms(r.latencyMs)}
                  </span>
                  {r.attempts.length > 0 && (
                    <ol className="attempts">
                      {r.attempts.map((a, i) => (
                        <li key={i} className={a.status >= 200 && a.status < 400 ? 'ok' : 'bad'}>
                          {i === 0 ? 'try' : `retry ${i}`}: {a.backend ?? 'no backend'} →{' '}
                          {a.status === 0 ? 'no response' : a.status} ({ms(a.latencyMs)})
                          {a.reason && <span className="attempt-reason">{a.reason}</span>}
                        </li>
                      ))}
                    </ol>
                  )}
                </li>
              ))}
            </ol>
          </>
        )}
      </section>
    </section>
  );
}
