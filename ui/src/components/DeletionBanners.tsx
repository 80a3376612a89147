import { useTranslation } from 'react-i18next';

import { toIpcError } from '../ipc';
import { ErrorBanner } from './Feedback';

interface Mutation {
  error: Error | null;
  reset: () => void;
}

/**
 * The banners of a record page about deletion: that the record is deleted (with Restore), and why deleting or
 * restoring it failed. `remove` and `restore` are those of `useDeleteWithUndo`.
 */
export function DeletionBanners({
  deleted,
  remove,
  restore,
}: {
  deleted: boolean;
  remove: Mutation;
  restore: Mutation & { mutate: () => void; isPending: boolean };
}) {
  const { t } = useTranslation();
  return (
    <>
      {deleted && (
        <div className="banner banner-warning" role="status" data-testid="deleted-banner">
          <div className="banner-body">
            <strong>{t('common.deletedBanner')}</strong>
          </div>
          <button type="button" className="btn btn-sm" onClick={() => restore.mutate()} disabled={restore.isPending}>
            {t('common.restore')}
          </button>
        </div>
      )}
      {(remove.error ?? restore.error) && (
        <ErrorBanner
          error={toIpcError(remove.error ?? restore.error)}
          onDismiss={() => {
            remove.reset();
            restore.reset();
          }}
        />
      )}
    </>
  );
}
