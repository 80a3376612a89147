import { useEffect, type KeyboardEvent, type RefObject } from 'react';

import { useWindowKeydown } from './useHotkeys';

/**
 * Ctrl+Enter / Ctrl+S save, Esc cancels (pickers and dialogs stop their own Esc first).
 * Returns a keydown handler for the <form> that keeps plain Enter from submitting by accident.
 */
export function useFormShortcuts(onSave: () => void, onCancel: () => void) {
  useWindowKeydown((e) => {
    const mod = e.ctrlKey || e.metaKey;
    if (mod && (e.key === 'Enter' || e.key.toLowerCase() === 's')) {
      e.preventDefault();
      onSave();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      onCancel();
    }
  });
  return (e: KeyboardEvent<HTMLFormElement>) => {
    const target = e.target as HTMLElement;
    if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey && target.tagName === 'INPUT') {
      const type = (target as HTMLInputElement).type;
      if (type !== 'submit' && type !== 'button' && type !== 'radio' && type !== 'checkbox') e.preventDefault();
    }
  };
}

/** After a failed save (once the errors are rendered): bring the first invalid field into view and focus it. */
export function useFocusFirstInvalid(form: RefObject<HTMLElement | null>, failure: unknown) {
  useEffect(() => {
    if (!failure || !form.current) return;
    const el = form.current.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (el) {
      el.focus();
      el.scrollIntoView?.({ block: 'center' });
    } else {
      form.current.querySelector<HTMLElement>('.form-errors, .banner')?.scrollIntoView?.({ block: 'center' });
    }
  }, [form, failure]);
}
