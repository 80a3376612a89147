// How agreements' conditions and academic-year spans read in a sentence, shared by the agreements' and the
// exchanges' pages and forms.
import type { TFunction } from 'i18next';

import type { Condition } from '../bindings/Condition';
import type { Labels } from '../bindings/Labels';
import { labelText } from '../components/Name';
import { academicYearLabel } from './enums';

/** "2025/2026 – 2029/2030", "from 2025/2026", "until …", "". */
export function yearsText(t: TFunction, first: number | null, last: number | null): string {
  if (first !== null && last !== null) {
    return first === last ? academicYearLabel(first) : `${academicYearLabel(first)} – ${academicYearLabel(last)}`;
  }
  if (first !== null) return t('agreement.fromYear', { year: academicYearLabel(first) });
  if (last !== null) return t('agreement.untilYear', { year: academicYearLabel(last) });
  return '';
}

/** "Student study · Fudan University (复旦大学) → Université Lyon 1", each side as the core names it for the UI language. */
export function conditionLabel(t: TFunction, c: Condition): string {
  const side = (id: string | null, name: string | null, labels: Labels | null) =>
    labelText(labels, name) ?? (id ? t('common.pendingSync') : '…');
  return `${t(`enums.mobility.${c.mobility}`)} · ${side(c.sending_id, c.sending_name, c.sending_labels)} → ${side(c.receiving_id, c.receiving_name, c.receiving_labels)}`;
}
