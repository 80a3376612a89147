import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** One labelled property of a record page ("none" when empty), inside a <dl>. */
export function Prop({ label, children }: { label: string; children: ReactNode }) {
  const { t } = useTranslation();
  const empty = children === null || children === undefined || children === '' || children === false;
  return (
    <div className="prop">
      <dt>{label}</dt>
      <dd>{empty ? <span className="muted">{t('common.none')}</span> : children}</dd>
    </div>
  );
}
