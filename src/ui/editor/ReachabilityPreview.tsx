import { useId } from 'react';
import type { ReachabilityDiff } from '../../store/reachabilityDiff';

/** At most this many connection lines; the rest are counted. */
export const REACHABILITY_LINES = 20;

/** Which pod-to-pod connections the apply would allow or block, and which policy decides. */
export function ReachabilityPreview({ diff }: { diff: ReachabilityDiff }) {
  const id = useId();
  const shown = diff.changes.slice(0, REACHABILITY_LINES);
  const more = diff.changes.length - shown.length;
  return (
    <section className="reachability-preview" aria-labelledby={`${id}-h`} data-testid="reachability-preview">
      <h3 id={`${id}-h`}>Connections</h3>
      {!diff.enforced ? (
        <p>
          No connection changes: {diff.cni} does not enforce NetworkPolicy, so policies are stored but block
          nothing.
        </p>
      ) : diff.changes.length === 0 ? (
        <p>No pod-to-pod connection changes.</p>
      ) : (
        <>
          <ul aria-label="Connections that change">
            {shown.map((c) => (
              <li
                key={`${c.from}>${c.to}/${c.protocol}/${c.port}`}
                data-before={c.before}
                data-after={c.after}
              >
                <code>
                  {c.from} → {c.to} {c.protocol}/{c.port}
                </code>
                : {c.before} →{' '}
                <strong className={c.after === 'blocked' ? 'reach-blocked' : 'reach-allowed'}>
                  {c.after}
                </strong>
                {c.because && ` (${c.because})`}
              </li>
            ))}
          </ul>
          {more > 0 && <p className="muted">and {more} more</p>}
        </>
      )}
      {diff.podsNotCompared > 0 && (
        <p className="muted">
          {diff.podsNotCompared} {diff.podsNotCompared === 1 ? 'pod' : 'pods'} the apply would start or
          replace {diff.podsNotCompared === 1 ? 'is' : 'are'} not compared.
        </p>
      )}
    </section>
  );
}
