import { useEffect, useRef } from 'react';

let modalDepth = 0;

/** Modal dialogs register here so that page shortcuts stay quiet while one is open. */
export function pushModal(): () => void {
  modalDepth += 1;
  return () => {
    modalDepth = Math.max(0, modalDepth - 1);
  };
}

export function isModalOpen(): boolean {
  return modalDepth > 0;
}

export function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color'].includes(type);
}

/** A window keydown handler that always sees the latest closure; skipped while a modal is open. */
export function useWindowKeydown(handler: (e: KeyboardEvent) => void, enabled = true): void {
  const ref = useRef(handler);
  useEffect(() => {
    ref.current = handler;
  });
  useEffect(() => {
    if (!enabled) return;
    const listener = (e: KeyboardEvent) => {
      if (isModalOpen() || e.defaultPrevented) return;
      ref.current(e);
    };
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, [enabled]);
}
