import { SHARED_SLOT } from '../../store/labLibrary';
import { returnToMyLab } from '../lessons/session';
import { selectDismiss, selectNotices, selectSlot, useSession, useSessionStore } from './sessionContext';
import './share.css';

/**
 * What the learner should know about the lab in the tab: that it is a shared lab (and the way back
 * to their own), and anything that went wrong opening a link or saving. Text only: nothing a link
 * carries is ever rendered as HTML.
 */
export function LabNotices() {
  const slot = useSession(selectSlot);
  const notices = useSession(selectNotices);
  const dismiss = useSession(selectDismiss);
  const session = useSessionStore();
  if (slot !== SHARED_SLOT && notices.length === 0) return null;
  return (
    <div className="lab-notices" data-testid="lab-notices">
      {slot === SHARED_SLOT && (
        <div className="lab-notice lab-notice-info" role="status" data-testid="shared-banner">
          <p>You are looking at a shared lab. Your own lab is kept as it was.</p>
          <button type="button" onClick={() => returnToMyLab(session)} data-testid="back-to-my-lab">
            Back to my lab
          </button>
        </div>
      )}
      {notices.map((n) => (
        <div
          key={n.id}
          className={`lab-notice lab-notice-${n.tone}`}
          role={n.tone === 'error' ? 'alert' : 'status'}
          data-testid={n.tone === 'error' ? 'lab-error' : 'lab-info'}
        >
          <p>{n.text}</p>
          <button type="button" onClick={() => dismiss(n.id)} aria-label={`Dismiss: ${n.text.slice(0, 60)}`}>
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
