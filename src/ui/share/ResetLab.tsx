import { useState } from 'react';
import { ConfirmDialog } from '../ConfirmDialog';
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
      <ConfirmDialog
        open={open}
        title="Reset the lab?"
        confirmLabel="Reset the lab"
        testId="reset-lab-dialog"
        onCancel={() => setOpen(false)}
        onConfirm={() => {
          setOpen(false);
          resetLab();
          setStatus('The lab is back at its start.');
        }}
      >
        “{record.name}” goes back to how it started: {describeChanges(changes)} undone
        {slot === SHARED_SLOT ? ' (in this shared lab; your own lab is not touched)' : ''}. The editor’s
        content stays.
      </ConfirmDialog>
    </div>
  );
}

function describeChanges(n: number): string {
  if (n === 0) return 'nothing has changed since, so nothing is';
  return n === 1 ? 'the one change since then is' : `all ${n} changes since then are`;
}
