import { useEffect, useId, useRef, useState } from 'react';
import { SHARED_SLOT } from '../../store/labLibrary';
import type { LabState } from '../../store/labStore';
import { useLab } from '../useLab';
import { selectSlot, useSession } from './sessionContext';
import './share.css';

const selectRecord = (s: LabState) => s.record;
const selectResetLab = (s: LabState) => s.resetLab;

/**
 * "Reset lab" for the free lab and a shared lab: back to the lab's start, after the learner
 * confirms in a modal <dialog> (focus moves into it and stays there, Escape cancels, and focus
 * returns to the button). A lesson's own lab has the lesson panel's reset, which also restarts its
 * tasks, so this button is not shown there.
 */
export function ResetLab() {
  const slot = useSession(selectSlot);
  const record = useLab(selectRecord);
  const resetLab = useLab(selectResetLab);
  const [open, setOpen] = useState(false);
  const [status, setStatus] = useState('');
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const textId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  if (slot.startsWith('lesson:')) return null;
  const changes = record.ops.length;
  return (
    <div className="reset-lab">
      <button
        type="button"
        data-testid="reset-lab"
        onClick={() => {
          setStatus('');
          setOpen(true);
        }}
      >
        Reset lab
      </button>
      <p className="sr-only" role="status">
        {status}
      </p>
      <dialog
        ref={ref}
        className="lab-dialog"
        aria-labelledby={titleId}
        aria-describedby={textId}
        data-testid="reset-lab-dialog"
        onCancel={(e) => {
          e.preventDefault();
          setOpen(false);
        }}
      >
        <h2 id={titleId}>Reset the lab?</h2>
        <p id={textId}>
          “{record.name}” goes back to how it started: {describeChanges(changes)} undone
          {slot === SHARED_SLOT ? ' (in this shared lab; your own lab is not touched)' : ''}. The editor’s
          content stays.
        </p>
        <div className="dialog-buttons">
          <button type="button" onClick={() => setOpen(false)} autoFocus>
            Cancel
          </button>
          <button
            type="button"
            className="danger"
            onClick={() => {
              setOpen(false);
              resetLab();
              setStatus('The lab is back at its start.');
            }}
          >
            Reset the lab
          </button>
        </div>
      </dialog>
    </div>
  );
}

function describeChanges(n: number): string {
  if (n === 0) return 'nothing has changed since, so nothing is';
  return n === 1 ? 'the one change since then is' : `all ${n} changes since then are`;
}
