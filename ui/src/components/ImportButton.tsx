import { useTranslation } from 'react-i18next';

import type { ImportKind } from '../bindings/ImportKind';
import { useRouter } from '../router';
import { IconUpload } from './icons';

/** A list's Import button, beside its Export: opens the import flow with the list's kind preselected. */
export function ImportButton({ kind }: { kind: ImportKind }) {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  return (
    <button type="button" className="btn" data-testid="import" onClick={() => navigate({ name: 'import', kind })}>
      <IconUpload />
      {t('import.button')}
    </button>
  );
}
