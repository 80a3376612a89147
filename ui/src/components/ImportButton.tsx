import { useTranslation } from 'react-i18next';

import type { ImportKind } from '../bindings/ImportKind';
import { useRouter } from '../router';
import { IconUpload } from './icons';

/**
 * A list's Import button, beside its Export: opens the import flow with the list's kind preselected. In a narrow
 * window it is its icon only (its name stays for screen readers and as its tooltip), so the list's title keeps its room.
 */
export function ImportButton({ kind }: { kind: ImportKind }) {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  return (
    <button
      type="button"
      className="btn btn-import"
      data-testid="import"
      title={t('import.button')}
      onClick={() => navigate({ name: 'import', kind })}
    >
      <IconUpload />
      <span className="btn-import-label">{t('import.button')}</span>
    </button>
  );
}
