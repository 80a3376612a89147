import { useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useState } from 'react';

import type { Dependants } from '../bindings/Dependants';
import { api } from '../ipc';
import { formatNumber } from '../lib/format';

/** "3 exchanges and 1 agreement" (translated; kinds without a label are named as the core names them). */
export function describeDependants(t: TFunction, lang: string, list: Dependants[]): string {
  const parts = list
    .filter((d) => d.count > 0)
    .map((d) => {
      const key = `dependants.${d.entity}`;
      const text = t(key, { count: d.count, formatted: formatNumber(d.count, lang) });
      return text === key ? `${formatNumber(d.count, lang)} ${d.entity}` : text;
    });
  try {
    return new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' }).format(parts);
  } catch {
    return parts.join(', ');
  }
}

export type DependantsCheck = { status: 'idle' } | { status: 'done'; list: Dependants[] } | { status: 'failed' };

/**
 * Before a deletion is confirmed: asks the core what points to the record (`dependants`), so that the
 * confirmation can say it. `check` resolves once the answer (or the failure to get one) is known.
 */
export function useDependantsCheck(id: string) {
  const queryClient = useQueryClient();
  const [checking, setChecking] = useState(false);
  const [result, setResult] = useState<DependantsCheck>({ status: 'idle' });
  const check = async () => {
    setChecking(true);
    try {
      const list = await queryClient.fetchQuery({ queryKey: ['dependants', id], queryFn: () => api.dependants(id), staleTime: 0 });
      setResult({ status: 'done', list });
    } catch {
      setResult({ status: 'failed' });
    } finally {
      setChecking(false);
    }
  };
  return { check, checking, result };
}

/** The sentence of a delete confirmation about what points to the record (empty when nothing does). */
export function dependantsSentence(t: TFunction, lang: string, result: DependantsCheck): string {
  if (result.status === 'failed') return t('dependants.unknown');
  if (result.status !== 'done') return '';
  const list = result.list.filter((d) => d.count > 0);
  if (list.length === 0) return t('dependants.none');
  return t('dependants.pointing', { list: describeDependants(t, lang, list) });
}
