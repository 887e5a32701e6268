import { useEffect, useRef } from 'react';

interface Props {
  readonly open: boolean;
  readonly lessonTitle: string;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
}

/**
 * Asks before the lesson's cluster goes back to its start. A modal <dialog>: focus moves into it and
 * stays there, Escape cancels, and focus returns to the button that opened it.
 */
export function ResetDialog({ open, lessonTitle, onConfirm, onCancel }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      className="lesson-dialog"
      aria-labelledby="reset-lesson-title"
      aria-describedby="reset-lesson-text"
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <h2 id="reset-lesson-title">Reset to the lesson’s start?</h2>
      <p id="reset-lesson-text">
        The cluster of “{lessonTitle}” goes back to how the lesson starts: everything you created, changed or
        deleted in it is undone, and its tasks start over. Your answers stay.
      </p>
      <div className="dialog-buttons">
        <button type="button" onClick={onCancel} autoFocus>
          Cancel
        </button>
        <button type="button" className="danger" onClick={onConfirm}>
          Reset the cluster
        </button>
      </div>
    </dialog>
  );
}
