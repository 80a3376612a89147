// Transitional: the vocabularies and moves the in-memory fake still uses, read from the core's own answer
// (test/fixtures/rules.json). Goes with the fake backend once every test answers IPC from fixtures.
import type { ApplicationStatus } from '../bindings/ApplicationStatus';
import type { Rules } from '../bindings/Rules';
import type { Zone } from '../bindings/Zone';
import rulesJson from '../test/fixtures/rules.json';

export const RULES = rulesJson as unknown as Rules;
export const ZONES = RULES.zones;
export const APPLICATION_STATUSES = RULES.application_statuses;
export const CALL_STATUSES = RULES.call_statuses;
export const EVENT_KINDS = RULES.event_kinds;
export const PROJECT_KINDS = RULES.project_kinds;
export const PROJECT_STATUSES = RULES.project_statuses;
export const COUNTRY_CODES = RULES.countries.map((c) => c.code);
export const APPLICATION_NEXT = Object.fromEntries(RULES.application_moves.map((m) => [m.from, m.to])) as unknown as Record<
  ApplicationStatus,
  readonly ApplicationStatus[]
>;

export function zoneOfCountry(country: string | null | undefined): Zone {
  return RULES.countries.find((c) => c.code === country)?.zone ?? 'other';
}

export function isField(code: string): boolean {
  const c = code.trim().toLowerCase();
  return RULES.alliance_fields.includes(c) || (/^\d{4}$/.test(c) && Number(c.slice(0, 2)) <= 10);
}
