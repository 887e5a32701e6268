import { selectLastApply } from '../store/selectors';
import { useLab } from './useLab';

/** The API server's answer to the last apply, shown only when something was rejected. */
export function ApplyStatus() {
  const lastApply = useLab(selectLastApply);
  if (!lastApply || lastApply.errors.length === 0) return null;
  return (
    <section className="apply-errors" role="alert" aria-label="Apply errors">
      <h2>Some objects were rejected</h2>
      <ul>
        {lastApply.errors.map((error, i) => (
          <li key={i}>
            <code>
              {error.kind ? `${error.kind} ` : ''}
              {error.name ?? `document ${error.document}`}
            </code>
            : {error.message}
          </li>
        ))}
      </ul>
    </section>
  );
}
