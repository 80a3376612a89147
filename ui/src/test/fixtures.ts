// What the real core answers on the demo workspace on 2026-01-01, written by the Rust test
// tests/integration/ui_fixtures.rs (`make test` fails when these files are stale). Ids are stable stand-ins.
import type { Agreement } from '../bindings/Agreement';
import type { AgreementPage } from '../bindings/AgreementPage';
import type { Application } from '../bindings/Application';
import type { ApplicationPage } from '../bindings/ApplicationPage';
import type { Call } from '../bindings/Call';
import type { CallPage } from '../bindings/CallPage';
import type { Contact } from '../bindings/Contact';
import type { ContactPage } from '../bindings/ContactPage';
import type { Dashboard } from '../bindings/Dashboard';
import type { Dependants } from '../bindings/Dependants';
import type { Event } from '../bindings/Event';
import type { EventPage } from '../bindings/EventPage';
import type { Exchange } from '../bindings/Exchange';
import type { ExchangePage } from '../bindings/ExchangePage';
import type { HistoryEntry } from '../bindings/HistoryEntry';
import type { Partner } from '../bindings/Partner';
import type { PartnerPage } from '../bindings/PartnerPage';
import type { Project } from '../bindings/Project';
import type { ProjectPage } from '../bindings/ProjectPage';
import type { Reminder } from '../bindings/Reminder';
import type { Report } from '../bindings/Report';
import type { ReportInfo } from '../bindings/ReportInfo';
import type { Rules } from '../bindings/Rules';
import type { SearchHit } from '../bindings/SearchHit';
import type { WorkspaceStatus } from '../bindings/WorkspaceStatus';
import agreementGet from './fixtures/agreement_get.json';
import agreementsList from './fixtures/agreements_list.json';
import applicationGet from './fixtures/application_get.json';
import applicationsList from './fixtures/applications_list.json';
import callGet from './fixtures/call_get.json';
import callsList from './fixtures/calls_list.json';
import contactGet from './fixtures/contact_get.json';
import contactsList from './fixtures/contacts_list.json';
import dashboard from './fixtures/dashboard.json';
import dependants from './fixtures/dependants.json';
import eventGet from './fixtures/event_get.json';
import eventsList from './fixtures/events_list.json';
import exchangeCohorts from './fixtures/exchange_cohorts.json';
import exchangeGet from './fixtures/exchange_get.json';
import exchangesList from './fixtures/exchanges_list.json';
import history from './fixtures/history.json';
import partnerCountries from './fixtures/partner_countries.json';
import partnerGet from './fixtures/partner_get.json';
import partnersList from './fixtures/partners_list.json';
import projectGet from './fixtures/project_get.json';
import projectsList from './fixtures/projects_list.json';
import reminders from './fixtures/reminders.json';
import reportCatalogue from './fixtures/report_catalogue.json';
import reportPreview from './fixtures/report_preview.json';
import rules from './fixtures/rules.json';
import search from './fixtures/search.json';
import workspaceStatus from './fixtures/workspace_status.json';

/** Each fixture, typed as the command's answer (the JSON itself is the core's, serialised by serde). */
export interface Fixtures {
  rules: Rules;
  workspace_status: WorkspaceStatus;
  partners_list: PartnerPage;
  contacts_list: ContactPage;
  agreements_list: AgreementPage;
  exchanges_list: ExchangePage;
  calls_list: CallPage;
  applications_list: ApplicationPage;
  projects_list: ProjectPage;
  events_list: EventPage;
  partner_get: Record<string, Partner>;
  contact_get: Record<string, Contact>;
  agreement_get: Record<string, Agreement>;
  exchange_get: Record<string, Exchange>;
  call_get: Record<string, Call>;
  application_get: Record<string, Application>;
  project_get: Record<string, Project>;
  event_get: Record<string, Event>;
  partner_countries: string[];
  exchange_cohorts: string[];
  search: SearchHit[];
  history: Record<string, HistoryEntry[]>;
  dependants: Record<string, Dependants[]>;
  dashboard: Dashboard;
  reminders: Reminder[];
  /** The catalogue of reports in each language. */
  report_catalogue: Record<'en' | 'fr', ReportInfo[]>;
  /** Each report the core makes so far, by kind code, unfiltered, in English. */
  report_preview: Record<string, Report>;
}

const raw = {
  rules,
  workspace_status: workspaceStatus,
  partners_list: partnersList,
  contacts_list: contactsList,
  agreements_list: agreementsList,
  exchanges_list: exchangesList,
  calls_list: callsList,
  applications_list: applicationsList,
  projects_list: projectsList,
  events_list: eventsList,
  partner_get: partnerGet,
  contact_get: contactGet,
  agreement_get: agreementGet,
  exchange_get: exchangeGet,
  call_get: callGet,
  application_get: applicationGet,
  project_get: projectGet,
  event_get: eventGet,
  partner_countries: partnerCountries,
  exchange_cohorts: exchangeCohorts,
  search,
  history,
  dependants,
  dashboard,
  reminders,
  report_catalogue: reportCatalogue,
  report_preview: reportPreview,
};

/** A fresh deep copy for each test: a test may change what it is given without touching the next one's. */
export function fixtures(): Fixtures {
  return structuredClone(raw) as unknown as Fixtures;
}

/** The fixtures as loaded (read-only use). */
export const fx: Fixtures = raw as unknown as Fixtures;

/** The one record of a `…_get` fixture that `pick` accepts (the test's own precondition, said when missing). */
export function recordWhere<T>(records: Record<string, T> | T[], pick: (record: T) => boolean, what: string): T {
  const found = Object.values(records).find(pick);
  if (!found) throw new Error(`the fixtures hold no ${what}: regenerate them or pick another record`);
  return found;
}
