import { useInfiniteQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import type { AgreementQuery } from '../bindings/AgreementQuery';
import type { ApplicationQuery } from '../bindings/ApplicationQuery';
import type { EventQuery } from '../bindings/EventQuery';
import type { Exchange } from '../bindings/Exchange';
import type { ExchangeQuery } from '../bindings/ExchangeQuery';
import type { Labels } from '../bindings/Labels';
import type { ProjectQuery } from '../bindings/ProjectQuery';
import { currentLang } from '../i18n';
import { api, toIpcError } from '../ipc';
import { academicYearLabel } from '../lib/enums';
import { formatDate, formatNumber, formatScore } from '../lib/format';
import { useRouter, type Route } from '../router';
import { ErrorBanner, Spinner } from './Feedback';
import { labelsText, labelText, Name } from './Name';

const PAGE = 20;

type AgreementFilter = Pick<AgreementQuery, 'partner_id' | 'signatory_id'>;
type ExchangeFilter = Pick<ExchangeQuery, 'partner_id' | 'person_id' | 'agreement_id'>;
type ApplicationFilter = Pick<ApplicationQuery, 'partner_id' | 'call_id' | 'pi_id'>;
type ProjectFilter = Pick<ProjectQuery, 'partner_id' | 'agreement_id'>;
type EventFilter = Pick<EventQuery, 'partner_id' | 'project_id'>;

/** What the related lists below share: the card's test id, its action, and optionally its own title. */
interface RelatedProps {
  testId: string;
  action?: ReactNode;
  /** In place of the section's name ("Agreements signed" rather than "Agreements"). */
  title?: string;
  /** Shows nothing rather than an empty card: for a role most records never have (a signatory). */
  hideWhenEmpty?: boolean;
}

function RelatedCard({
  title,
  testId,
  count,
  action,
  children,
}: {
  title: string;
  testId: string;
  count: string | null;
  action?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="card" aria-label={title}>
      <header className="card-head">
        <h2 className="card-title">
          {title}
          {count !== null && (
            <span className="badge badge-muted" data-testid={`${testId}-count`}>
              {count}
            </span>
          )}
        </h2>
        {action}
      </header>
      {children}
    </section>
  );
}

function MoreButton({ testId, onClick, busy }: { testId: string; onClick: () => void; busy: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="related-more">
      <button type="button" className="btn btn-ghost btn-sm" data-testid={`${testId}-more`} disabled={busy} onClick={onClick}>
        {busy ? t('common.loading') : t('common.showMore')}
      </button>
    </div>
  );
}

/** One page of a list, as the core returns it (exchange pages say when their count stopped). */
interface RelatedPage<Row> {
  offset: number;
  rows: Row[];
  total: number;
  total_capped?: boolean;
}

/**
 * A card listing the records related to the one shown, 20 at a time with "Show more", each row opening its
 * record: the shared shape of the related lists below.
 */
function RelatedList<Row extends { id: string }>({
  title,
  testId,
  action,
  queryKey,
  fetchPage,
  empty,
  rowTestId,
  route,
  rowTitle,
  rowSub,
  hideWhenEmpty = false,
}: {
  title: string;
  testId: string;
  action?: ReactNode;
  hideWhenEmpty?: boolean;
  queryKey: readonly unknown[];
  fetchPage: (offset: number) => Promise<RelatedPage<Row>>;
  empty: string;
  rowTestId: string;
  route: (row: Row) => Route;
  rowTitle: (row: Row) => ReactNode;
  rowSub: (row: Row) => (string | null | false)[];
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { navigate } = useRouter();
  const query = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    initialPageParam: 0,
    getNextPageParam: (last) => {
      const next = last.offset + last.rows.length;
      // A capped count says nothing of the end: a full page means there may be more.
      return (last.total_capped ? last.rows.length === PAGE : next < last.total) ? next : undefined;
    },
  });
  const rows = query.data?.pages.flatMap((p) => p.rows) ?? [];
  const first = query.data?.pages[0];
  const count = first ? (first.total_capped ? t('exchanges.capped', { formatted: formatNumber(first.total, lang) }) : formatNumber(first.total, lang)) : null;
  if (hideWhenEmpty && !query.error && (query.isPending || first?.total === 0)) return null;
  return (
    <RelatedCard title={title} testId={testId} count={count} action={action}>
      {query.isPending && <Spinner label={t('common.loading')} />}
      {query.error && <ErrorBanner error={toIpcError(query.error)} onRetry={() => void query.refetch()} />}
      {first?.total === 0 && <p className="muted">{empty}</p>}
      {rows.length > 0 && (
        <ul className="link-list" data-testid={testId}>
          {rows.map((row) => (
            <li key={row.id}>
              <button type="button" className="link-row" data-testid={rowTestId} onClick={() => navigate(route(row))}>
                <span className="link-row-title">{rowTitle(row)}</span>
                <span className="link-row-sub">{rowSub(row).filter(Boolean).join(' · ')}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {query.hasNextPage && <MoreButton testId={testId} busy={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()} />}
    </RelatedCard>
  );
}

/** A title with a muted code after it ("Medicine and Humanities · MH-2024"). */
function titled(title: string, code: string | null): ReactNode {
  return (
    <>
      {title}
      {code && <span className="muted small mono-soft"> · {code}</span>}
    </>
  );
}

/** The agreements a partner is a party to, or a person signed, 20 at a time; each row opens the agreement. */
export function RelatedAgreements({ filter, title, ...props }: RelatedProps & { filter: AgreementFilter }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <RelatedList
      {...props}
      title={title ?? t('nav.agreements')}
      queryKey={['agreements', 'related', filter]}
      fetchPage={(offset) => api.agreementsList({ ...filter, sort: 'title', descending: false, offset, limit: PAGE })}
      empty={t('agreements.noneRelated')}
      rowTestId="related-agreement"
      route={(a) => ({ name: 'agreement', id: a.id })}
      rowTitle={(a) => titled(a.title, a.code)}
      rowSub={(a) => [
        t(`enums.agreementKind.${a.kind}`),
        t(`enums.agreementStatus.${a.status}`),
        periodText(t, lang, a.start_date, a.end_date),
        labelsText(a.party_labels),
      ]}
    />
  );
}

/** "1 Sep 2025 – 31 Aug 2030", "from 1 Sep 2025", "until …", "". */
export function periodText(t: (k: string, o?: Record<string, string>) => string, lang: string, start: string | null, end: string | null): string {
  if (start && end) return t('contact.from', { start: formatDate(start, lang), end: formatDate(end, lang) });
  if (start) return t('contact.since', { date: formatDate(start, lang) });
  if (end) return t('contact.until', { date: formatDate(end, lang) });
  return '';
}

type RouteOf = Pick<Exchange, 'home_id' | 'home_name' | 'home_labels' | 'host_id' | 'host_name' | 'host_labels'>;

/** "Fudan University (复旦大学) → Université Lyon 1" in the UI language ("pending sync" for a name not known here). */
export function routeText(t: (k: string) => string, e: RouteOf): string {
  const side = (id: string | null, name: string | null, labels: Labels | null) => {
    const label = labels?.[currentLang()];
    if (label) return label.native ? `${label.name} (${label.native})` : label.name;
    return name ?? (id ? t('common.pendingSync') : '…');
  };
  return `${side(e.home_id, e.home_name, e.home_labels)} → ${side(e.host_id, e.host_name, e.host_labels)}`;
}

/** An exchange's route with each name marked with its language: "Fudan University 复旦大学 → Université Lyon 2". */
export function ExchangeRoute({ e }: { e: RouteOf }) {
  const { t } = useTranslation();
  const side = (id: string | null, name: string | null, labels: Labels | null) => {
    const label = labels?.[currentLang()];
    return label ? <Name label={label} /> : (name ?? (id ? t('common.pendingSync') : '…'));
  };
  return (
    <>
      {side(e.home_id, e.home_name, e.home_labels)} → {side(e.host_id, e.host_name, e.host_labels)}
    </>
  );
}

/**
 * Exchanges of a person, a partner or an agreement, latest year first, 20 at a time; each row opens the
 * exchange. `show` says what the row's title is: the person, or the route (for a person's own list).
 */
export function RelatedExchanges({
  filter,
  show,
  testId,
  action,
}: {
  filter: ExchangeFilter;
  show: 'person' | 'route';
  testId: string;
  action?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <RelatedList
      title={t('nav.exchanges')}
      testId={testId}
      action={action}
      queryKey={['exchanges', 'related', filter]}
      fetchPage={(offset) => api.exchangesList({ ...filter, ascending: false, offset, limit: PAGE })}
      empty={t('exchanges.noneRelated')}
      rowTestId="related-exchange"
      route={(e) => ({ name: 'exchange', id: e.id })}
      rowTitle={(e) => (show === 'person' ? (e.person_name ?? t('common.pendingSync')) : <ExchangeRoute e={e} />)}
      rowSub={(e) => [
        academicYearLabel(e.academic_year),
        t(`enums.direction.${e.direction}`),
        t(`enums.category.${e.category}`),
        show === 'person' ? routeText(t, e) : null,
        t(`enums.exchangeStatus.${e.status}`),
      ]}
    />
  );
}

/**
 * The applications an organisation leads or takes part in, or a person is the principal investigator of, 20 at
 * a time, in rank order within each call.
 */
export function RelatedApplications({ filter, title, ...props }: RelatedProps & { filter: ApplicationFilter }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <RelatedList
      {...props}
      title={title ?? t('nav.applications')}
      queryKey={['applications', 'related', filter]}
      fetchPage={(offset) => api.applicationsList({ ...filter, descending: false, offset, limit: PAGE })}
      empty={t('applications.noneRelated')}
      rowTestId="related-application"
      route={(a) => ({ name: 'application', id: a.id })}
      rowTitle={(a) => titled(a.title, [a.reference, a.acronym].filter(Boolean).join(' · ') || null)}
      rowSub={(a) => [
        a.lead_name ? t('applications.ledBy', { name: labelText(a.lead_labels, a.lead_name) }) : null,
        t(`enums.applicationStatus.${a.status}`),
        a.eligible ? null : t('application.notEligible'),
        a.rank !== null ? `#${a.rank}` : null,
        a.score !== null ? t('application.scoreOf', { score: formatScore(a.score, lang) }) : null,
      ]}
    />
  );
}

/**
 * The projects an organisation takes part in, or that rest on an agreement, latest start first, 20 at a time;
 * each row opens the project.
 */
export function RelatedProjects({ filter, title, ...props }: RelatedProps & { filter: ProjectFilter }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <RelatedList
      {...props}
      title={title ?? t('nav.projects')}
      queryKey={['projects', 'related', filter]}
      fetchPage={(offset) => api.projectsList({ ...filter, descending: false, offset, limit: PAGE })}
      empty={t('projects.noneRelated')}
      rowTestId="related-project"
      route={(p) => ({ name: 'project', id: p.id })}
      rowTitle={(p) => titled(p.title, p.code)}
      rowSub={(p) => [t(`enums.projectKind.${p.kind}`), t(`enums.projectStatus.${p.status}`), periodText(t, lang, p.start_date, p.end_date)]}
    />
  );
}

/** Events of a project, or organised by an organisation, latest first, 20 at a time; each row opens the event. */
export function RelatedEvents({ filter, testId, action }: { filter: EventFilter; testId: string; action?: ReactNode }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <RelatedList
      title={t('nav.events')}
      testId={testId}
      action={action}
      queryKey={['events', 'related', filter]}
      fetchPage={(offset) => api.eventsList({ ...filter, descending: false, offset, limit: PAGE })}
      empty={t('events.noneRelated')}
      rowTestId="related-event"
      route={(e) => ({ name: 'event', id: e.id })}
      rowTitle={(e) => e.title}
      rowSub={(e) => [
        formatDate(e.start_date, lang),
        t(`enums.eventKind.${e.kind}`),
        whereText(t, e),
        e.attended !== null
          ? t('event.attendedCount', { count: e.attended, formatted: formatNumber(e.attended, lang) })
          : e.registered !== null
            ? t('event.registeredCount', { count: e.registered, formatted: formatNumber(e.registered, lang) })
            : null,
      ]}
    />
  );
}

/** "Online", "Fudan University, Shanghai", "Online · Fudan University, Shanghai" (hybrid), "". */
export function whereText(t: (k: string) => string, e: { online: boolean; venue: string | null }): string {
  return [e.online ? t('event.online') : null, e.venue].filter(Boolean).join(' · ');
}
