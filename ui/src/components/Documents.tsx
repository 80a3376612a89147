import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';

import type { Document } from '../bindings/Document';
import { api, toIpcError } from '../ipc';
import { formatDateTime, formatNumber } from '../lib/format';
import { ErrorBanner, Spinner } from './Feedback';
import { IconFile, IconPaperclip, IconTrash } from './icons';
import { useToast } from '../hooks/useToast';

/** A file size as people read it: "812 bytes", "48 kB", "2.4 MB" (decimal units). */
export function formatSize(bytes: number, lang: string): string {
  const unit = (value: number, name: string, digits: number) =>
    new Intl.NumberFormat(lang, { style: 'unit', unit: name, unitDisplay: name === 'byte' ? 'long' : 'short', maximumFractionDigits: digits }).format(value);
  if (bytes < 1000) return unit(bytes, 'byte', 0);
  if (bytes < 1_000_000) return unit(bytes / 1000, 'kilobyte', bytes < 10_000 ? 1 : 0);
  if (bytes < 1_000_000_000) return unit(bytes / 1_000_000, 'megabyte', 1);
  return unit(bytes / 1_000_000_000, 'gigabyte', 1);
}

/**
 * The documents attached to a record: name, size, date, and a "not yet synced" mark for a file this computer
 * does not hold yet; Attach opens the system's file dialog, a name opens the file with the system's viewer,
 * Remove can be undone.
 */
export function Documents({ owner }: { owner: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const queryClient = useQueryClient();
  const toast = useToast();
  const query = useQuery({ queryKey: ['documents', owner], queryFn: () => api.documentsList(owner) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['documents', owner] });
  const fail = (e: unknown) => toast.show({ message: toIpcError(e).message, raw: true, tone: 'error' });

  const attach = useMutation({
    mutationFn: () => api.documentAttach(owner),
    onSuccess: (added) => {
      // None: the dialog was cancelled.
      if (added.length === 0) return;
      void refresh();
      toast.show({
        message: t('documents.attached', { count: added.length, name: added[0].name }),
        raw: true,
        tone: 'success',
        duration: 5000,
      });
    },
    onError: fail,
  });
  const open = useMutation({ mutationFn: (doc: Document) => api.documentOpen(doc.id), onError: fail });
  const remove = useMutation({
    mutationFn: (doc: Document) => api.documentRemove(doc.id),
    onSuccess: (_, doc) => {
      void refresh();
      toast.show({
        message: t('documents.removed', { name: doc.name }),
        raw: true,
        tone: 'success',
        action: {
          label: 'common.undo',
          testId: 'undo',
          onClick: async () => {
            try {
              await api.documentRestore(doc.id);
              await refresh();
              toast.show({ message: t('documents.restored', { name: doc.name }), raw: true, tone: 'success', duration: 4000 });
            } catch (e) {
              fail(e);
            }
          },
        },
      });
    },
    onError: fail,
  });

  const docs = query.data ?? [];
  return (
    <section className="card" aria-labelledby={`documents-${owner}`} data-testid="documents">
      <header className="card-head">
        <h2 className="card-title" id={`documents-${owner}`}>
          <IconPaperclip />
          {t('documents.title')}
          {query.data && (
            <span className="badge badge-muted" data-testid="documents-count">
              {formatNumber(docs.length, lang)}
            </span>
          )}
        </h2>
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          data-testid="document-attach"
          aria-busy={attach.isPending || undefined}
          disabled={attach.isPending}
          onClick={() => attach.mutate()}
        >
          <IconPaperclip />
          {attach.isPending ? t('documents.attaching') : t('documents.attach')}
        </button>
      </header>
      {query.isPending && <Spinner label={t('common.loading')} />}
      {query.error && <ErrorBanner error={toIpcError(query.error)} onRetry={() => void query.refetch()} />}
      {query.data && docs.length === 0 && <p className="muted">{t('documents.none')}</p>}
      {docs.length > 0 && (
        <ul className="doc-list">
          {docs.map((doc) => (
            <li key={doc.id} className="doc-row" data-testid="document-row">
              <IconFile className="doc-icon" />
              <div className="doc-main">
                <button
                  type="button"
                  className="link doc-name"
                  data-testid="document-open"
                  disabled={!doc.available}
                  title={doc.available ? t('documents.open', { name: doc.name }) : t('documents.notSyncedHint')}
                  onClick={() => open.mutate(doc)}
                >
                  {doc.name}
                </button>
                <span className="doc-meta muted small">
                  {[formatSize(doc.size, lang), doc.added_at ? formatDateTime(doc.added_at, lang) : null].filter(Boolean).join(' · ')}
                  {!doc.available && (
                    <>
                      {' '}
                      <span className="badge badge-pending" data-testid="document-pending" title={t('documents.notSyncedHint')}>
                        {t('documents.notSynced')}
                      </span>
                    </>
                  )}
                </span>
              </div>
              <button
                type="button"
                className="icon-btn"
                data-testid="document-remove"
                aria-label={t('documents.remove', { name: doc.name })}
                title={t('documents.remove', { name: doc.name })}
                disabled={remove.isPending}
                onClick={() => remove.mutate(doc)}
              >
                <IconTrash />
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
