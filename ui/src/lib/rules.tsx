// The core's rules as data (`rules` command): vocabularies in their order, an application's status moves,
// each country's zone, the alliance's fields. Fetched once before the app shows; no copy of them lives here.
import { useQuery } from '@tanstack/react-query';
import { createContext, useContext, type ReactNode } from 'react';

import type { ApplicationStatus } from '../bindings/ApplicationStatus';
import type { Criterion } from '../bindings/Criterion';
import type { Rules } from '../bindings/Rules';
import type { Score } from '../bindings/Score';
import type { Zone } from '../bindings/Zone';
import { api } from '../ipc';

const RulesContext = createContext<Rules | null>(null);

export function RulesProvider({ rules, children }: { rules: Rules; children: ReactNode }) {
  return <RulesContext.Provider value={rules}>{children}</RulesContext.Provider>;
}

/** The query that loads the rules: once per session, never refetched (they change only with the core). */
export function useRulesQuery() {
  return useQuery({ queryKey: ['rules'], queryFn: api.rules, staleTime: Infinity, gcTime: Infinity });
}

/** The core's rules, inside the app (the app waits for them before showing anything that needs them). */
export function useRules(): Rules {
  const rules = useContext(RulesContext);
  if (!rules) throw new Error('useRules() outside <RulesProvider>');
  return rules;
}

/** The choices of an application's status select: the current status, then the moves it allows. */
export function statusChoices(rules: Rules, current: ApplicationStatus): ApplicationStatus[] {
  return [current, ...(rules.application_moves.find((m) => m.from === current)?.to ?? [])];
}

/** The zone a partner in `country` gets when none is given. */
export function zoneOfCountry(rules: Rules, country: string | null | undefined): Zone {
  return rules.countries.find((c) => c.code === country)?.zone ?? 'other';
}

/**
 * A review's weighted score as the core will keep it (`review_score`), while the form is being filled:
 * null until complete or while a score is out of range; the last answer stays shown while the next loads.
 */
export function useReviewScore(criteria: Criterion[], scores: Score[]): number | null {
  const query = useQuery({
    queryKey: ['review_score', criteria, scores],
    queryFn: () => api.reviewScore(criteria, scores),
    staleTime: Infinity,
    placeholderData: (previous) => previous,
  });
  return query.data ?? null;
}
