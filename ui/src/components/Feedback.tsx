import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import type { IpcError } from '../bindings/IpcError';
import { errorSummary } from '../lib/errors';
import { IconAlert, IconBack, IconX } from './icons';

export function ErrorBanner({ error, onRetry, onDismiss }: { error: IpcError; onRetry?: () => void; onDismiss?: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="banner banner-error" role="alert" data-testid="error-banner">
      <IconAlert className="banner-icon" />
      <div className="banner-body">
        <strong>{errorSummary(t, error)}</strong>
        {error.message && error.kind !== 'invalid' && (
          <span className="banner-details">{t('errors.details', { message: error.message })}</span>
        )}
      </div>
      {onRetry && (
        <button type="button" className="btn btn-sm" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
      {onDismiss && (
        <button type="button" className="icon-btn" aria-label={t('common.dismiss')} onClick={onDismiss}>
          <IconX />
        </button>
      )}
    </div>
  );
}

export function EmptyState({ icon, title, text, action }: { icon?: ReactNode; title: string; text?: string; action?: ReactNode }) {
  return (
    <div className="empty-state" data-testid="empty-state">
      {icon && <div className="empty-icon">{icon}</div>}
      <h3>{title}</h3>
      {text && <p>{text}</p>}
      {action}
    </div>
  );
}

export function Spinner({ label }: { label?: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label && <span>{label}</span>}
    </div>
  );
}

/** Placeholder blocks shown while a page loads. */
export function PageSkeleton() {
  const { t } = useTranslation();
  return (
    <div className="page-skeleton" aria-busy="true" aria-label={t('common.loading')}>
      <div className="skeleton skeleton-title" />
      <div className="skeleton skeleton-line" />
      <div className="skeleton skeleton-block" />
      <div className="skeleton skeleton-block" />
    </div>
  );
}

export function Kbd({ children }: { children: ReactNode }) {
  return <kbd className="kbd">{children}</kbd>;
}

export function BackButton({ onClick }: { onClick: () => void }) {
  const { t } = useTranslation();
  return (
    <button type="button" className="btn btn-ghost btn-sm back-btn" data-testid="back" onClick={onClick}>
      <IconBack />
      {t('common.back')}
    </button>
  );
}
