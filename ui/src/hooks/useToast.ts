// The toasts' context: `useToast().show(…)` from anywhere under <ToastProvider> (components/Toasts.tsx).
import { createContext, useContext } from 'react';

/** Texts are i18n keys (translated when shown, so they follow a language switch) unless `raw` is set. */
export interface ToastAction {
  label: string;
  onClick: () => void | Promise<void>;
  testId?: string;
}

export interface Toast {
  id: number;
  message: string;
  /** `message` is already text (an error from the core), not an i18n key. */
  raw?: boolean;
  /** The values `message`'s translation interpolates (it is translated when shown, in the language then). */
  values?: Record<string, string | number>;
  tone: 'info' | 'success' | 'error';
  action?: ToastAction;
}

export interface ToastValue {
  show: (toast: Omit<Toast, 'id' | 'tone'> & { tone?: Toast['tone']; duration?: number }) => void;
}

export const ToastContext = createContext<ToastValue | null>(null);

export function useToast(): ToastValue {
  const value = useContext(ToastContext);
  if (!value) throw new Error('useToast outside ToastProvider');
  return value;
}
