import type { IdScheme } from '../bindings/IdScheme';
import type { OrgKind } from '../bindings/OrgKind';
import type { PartnerStatus } from '../bindings/PartnerStatus';
import type { Zone } from '../bindings/Zone';

// The closed vocabularies, in display order (the exhaustive records make tsc fail if the bindings grow).
const kinds: Record<OrgKind, true> = {
  university: true,
  school: true,
  laboratory: true,
  funder: true,
  government_agency: true,
  company: true,
  other: true,
};
const zones: Record<Zone, true> = { france_europe: true, china: true, japan: true, brazil: true, canada: true, other: true };
const statuses: Record<PartnerStatus, true> = { active: true, prospect: true, inactive: true };
const schemes: Record<IdScheme, true> = { ror: true, erasmus: true, schac: true, pic: true, wikidata: true, isni: true };

export const KINDS = Object.keys(kinds) as OrgKind[];
export const ZONES = Object.keys(zones) as Zone[];
export const STATUSES = Object.keys(statuses) as PartnerStatus[];
export const SCHEMES = Object.keys(schemes) as IdScheme[];

export const SCHEME_EXAMPLES: Record<IdScheme, string> = {
  ror: '013q1eq08',
  erasmus: 'F  LYON03',
  schac: 'univ-lyon.fr',
  pic: '999884732',
  wikidata: 'Q1056543',
  isni: '0000 0001 2156 142X',
};
