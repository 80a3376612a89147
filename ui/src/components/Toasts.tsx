import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { ToastContext, type Toast, type ToastValue } from '../hooks/useToast';
import { IconX } from './icons';

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const timers = useRef(new Map<number, number>());
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => {
    setToasts((list) => list.filter((t) => t.id !== id));
    const timer = timers.current.get(id);
    if (timer) window.clearTimeout(timer);
    timers.current.delete(id);
  }, []);

  const show = useCallback<ToastValue['show']>(
    ({ duration = 8000, tone = 'info', ...toast }) => {
      const id = nextId.current++;
      setToasts((list) => [...list.slice(-2), { ...toast, tone, id }]);
      timers.current.set(
        id,
        window.setTimeout(() => dismiss(id), duration),
      );
    },
    [dismiss],
  );

  useEffect(() => {
    const all = timers.current;
    return () => all.forEach((timer) => window.clearTimeout(timer));
  }, []);

  const value = useMemo(() => ({ show }), [show]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <ToastRegion toasts={toasts} dismiss={dismiss} />
    </ToastContext.Provider>
  );
}

function ToastRegion({ toasts, dismiss }: { toasts: Toast[]; dismiss: (id: number) => void }) {
  const { t } = useTranslation();
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast toast-${toast.tone}`} data-testid="toast">
          <span className="toast-message">{toast.raw ? toast.message : t(toast.message, toast.values)}</span>
          {toast.action && (
            <button
              type="button"
              className="btn btn-ghost btn-sm toast-action"
              data-testid={toast.action.testId}
              onClick={() => {
                const action = toast.action;
                dismiss(toast.id);
                void action?.onClick();
              }}
            >
              {t(toast.action.label)}
            </button>
          )}
          <button type="button" className="icon-btn" aria-label={t('common.dismiss')} onClick={() => dismiss(toast.id)}>
            <IconX />
          </button>
        </div>
      ))}
    </div>
  );
}
