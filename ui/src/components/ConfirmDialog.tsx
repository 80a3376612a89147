import { useEffect, useId, useRef, type KeyboardEvent } from 'react';

import { pushModal } from '../hooks/useHotkeys';

interface Props {
  title: string;
  message: string;
  confirmLabel: string;
  cancelLabel: string;
  busy?: boolean;
  /** The confirm button's look: `danger` (a deletion) by default. */
  confirmTone?: 'danger' | 'primary';
  /** A third choice, between Cancel and confirm (Discard, beside Stay and Save). */
  alternative?: { label: string; testId: string; onClick: () => void };
  onConfirm: () => void;
  onCancel: () => void;
}

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select, textarea, [tabindex]:not([tabindex="-1"])';

/** A modal confirmation: focus starts on Cancel and stays inside; Esc cancels; focus returns where it was. */
export function ConfirmDialog({
  title,
  message,
  confirmLabel,
  cancelLabel,
  busy,
  confirmTone = 'danger',
  alternative,
  onConfirm,
  onCancel,
}: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const textId = useId();

  useEffect(() => {
    const popModal = pushModal();
    const previous = document.activeElement as HTMLElement | null;
    cancelRef.current?.focus();
    return () => {
      popModal();
      if (previous && document.contains(previous)) previous.focus();
    };
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onCancel();
      return;
    }
    if (e.key === 'Tab' && ref.current) {
      const items = Array.from(ref.current.querySelectorAll<HTMLElement>(FOCUSABLE));
      if (items.length === 0) return;
      const first = items[0];
      const last = items[items.length - 1];
      if (e.shiftKey && document.activeElement === first) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first.focus();
      }
    }
    e.stopPropagation();
  };

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onCancel()}>
      <div
        ref={ref}
        className="modal"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={textId}
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId} className="modal-title">
          {title}
        </h2>
        <p id={textId} className="modal-text">
          {message}
        </p>
        <div className="modal-actions">
          <button ref={cancelRef} type="button" className="btn" data-testid="confirm-cancel" onClick={onCancel}>
            {cancelLabel}
          </button>
          {alternative && (
            <button type="button" className="btn btn-danger" data-testid={alternative.testId} disabled={busy} onClick={alternative.onClick}>
              {alternative.label}
            </button>
          )}
          <button type="button" className={`btn btn-${confirmTone}`} data-testid="confirm-ok" disabled={busy} onClick={onConfirm}>
            {confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
