import { Suspense, useState, type ReactNode } from 'react';

/**
 * A disclosure whose content is rendered, and so loaded when it is a lazy component, the first time
 * the learner opens it; it stays rendered after.
 */
export function LazyDetails({
  className,
  summary,
  loading,
  children,
}: {
  className: string;
  summary: string;
  /** What shows while the content loads. */
  loading: string;
  children: ReactNode;
}) {
  const [opened, setOpened] = useState(false);
  return (
    <details className={className} onToggle={(e) => e.currentTarget.open && setOpened(true)}>
      <summary>{summary}</summary>
      {opened && <Suspense fallback={<p className="muted">{loading}</p>}>{children}</Suspense>}
    </details>
  );
}
