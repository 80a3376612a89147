import { useInfiniteQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import type { AgreementQuery } from '../bindings/AgreementQuery';
import type { ApplicationQuery } from '../bindings/ApplicationQuery';
import type { EventQuery } from '../bindings/EventQuery';
import type { Exchange } from '../bindings/Exchange';
import type { ExchangeQuery } from '../bindings/ExchangeQuery';
import type { ProjectQuery } from '../bindings/ProjectQuery';
import { api, toIpcError } from '../ipc';
import { academicYearLabel } from '../lib/enums';
import { formatDate, formatNumber } from '../lib/format';
import { useRouter } from '../router';
import { ErrorBanner, Spinner } from './Feedback';

const PAGE = 20;

type AgreementFilter = Pick<AgreementQuery, 'partner_id'>;
type ExchangeFilter = Pick<ExchangeQuery, 'partner_id' | 'person_id' | 'agreement_id'>;
type ApplicationFilter = Pick<ApplicationQuery, 'partner_id' | 'call_id'>;
type ProjectFilter = Pick<ProjectQuery, 'partner_id'>;
type EventFilter = Pick<EventQuery, 'partner_id' | 'project_id'>;

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

/** The agreements a partner is a party to, 20 at a time; each row opens the agreement. */
export function RelatedAgreements({ filter, testId, action }: { filter: AgreementFilter; testId: string; action?: ReactNode }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { navigate } = useRouter();
  const query = useInfiniteQuery({
    queryKey: ['agreements', 'related', filter],
    queryFn: ({ pageParam }) => api.agreementsList({ ...filter, sort: 'title', descending: false, offset: pageParam, limit: PAGE }),
    initialPageParam: 0,
    getNextPageParam: (last) => (last.offset + last.rows.length < last.total ? last.offset + last.rows.length : undefined),
  });
  const rows = query.data?.pages.flatMap((p) => p.rows) ?? [];
  const total = query.data?.pages[0]?.total ?? null;
  return (
    <RelatedCard
      title={t('nav.agreements')}
      testId={testId}
      count={total === null ? null : formatNumber(total, lang)}
      action={action}
    >
      {query.isPending && <Spinner label={t('common.loading')} />}
      {query.error && <ErrorBanner error={toIpcError(query.error)} onRetry={() => void query.refetch()} />}
      {total === 0 && <p className="muted">{t('agreements.noneRelated')}</p>}
      {rows.length > 0 && (
        <ul className="link-list" data-testid={testId}>
          {rows.map((a) => (
            <li key={a.id}>
              <button type="button" className="link-row" data-testid="related-agreement" onClick={() => navigate({ name: 'agreement', id: a.id })}>
                <span className="link-row-title">
                  {a.title}
                  {a.code && <span className="muted small mono-soft"> · {a.code}</span>}
                </span>
                <span className="link-row-sub">
                  {[
                    t(`enums.agreementKind.${a.kind}`),
                    t(`enums.agreementStatus.${a.status}`),
                    periodText(t, lang, a.start_date, a.end_date),
                    a.parties,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {query.hasNextPage && <MoreButton testId={testId} busy={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()} />}
    </RelatedCard>
  );
}

/** "1 Sep 2025 – 31 Aug 2030", "from 1 Sep 2025", "until …", "". */
export function periodText(t: (k: string, o?: Record<string, string>) => string, lang: string, start: string | null, end: string | null): string {
  if (start && end) return t('contact.from', { start: formatDate(start, lang), end: formatDate(end, lang) });
  if (start) return t('contact.since', { date: formatDate(start, lang) });
  if (end) return t('contact.until', { date: formatDate(end, lang) });
  return '';
}

/** "Fudan University → Université Lyon 1" ("pending sync" for a name not known here). */
export function routeText(t: (k: string) => string, e: Pick<Exchange, 'home_id' | 'home_name' | 'host_id' | 'host_name'>): string {
  const side = (id: string | null, name: string | null) => (name ?? (id ? t('common.pendingSync') : '…'));
  return `${side(e.home_id, e.home_name)} → ${side(e.host_id, e.host_name)}`;
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
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { navigate } = useRouter();
  const query = useInfiniteQuery({
    queryKey: ['exchanges', 'related', filter],
    queryFn: ({ pageParam }) => api.exchangesList({ ...filter, ascending: false, offset: pageParam, limit: PAGE }),
    initialPageParam: 0,
    getNextPageParam: (last) => {
      const next = last.offset + last.rows.length;
      return last.rows.length === PAGE && (last.total_capped || next < last.total) ? next : undefined;
    },
  });
  const rows = query.data?.pages.flatMap((p) => p.rows) ?? [];
  const first = query.data?.pages[0];
  const count = first ? (first.total_capped ? t('exchanges.capped', { formatted: formatNumber(first.total, lang) }) : formatNumber(first.total, lang)) : null;
  return (
    <RelatedCard title={t('nav.exchanges')} testId={testId} count={count} action={action}>
      {query.isPending && <Spinner label={t('common.loading')} />}
      {query.error && <ErrorBanner error={toIpcError(query.error)} onRetry={() => void query.refetch()} />}
      {first?.total === 0 && <p className="muted">{t('exchanges.noneRelated')}</p>}
      {rows.length > 0 && (
        <ul className="link-list" data-testid={testId}>
          {rows.map((e) => (
            <li key={e.id}>
              <button type="button" className="link-row" data-testid="related-exchange" onClick={() => navigate({ name: 'exchange', id: e.id })}>
                <span className="link-row-title">
                  {show === 'person' ? (e.person_name ?? t('common.pendingSync')) : routeText(t, e)}
                </span>
                <span className="link-row-sub">
                  {[
                    academicYearLabel(e.academic_year),
                    t(`enums.direction.${e.direction}`),
                    t(`enums.category.${e.category}`),
                    show === 'person' ? routeText(t, e) : null,
                    t(`enums.exchangeStatus.${e.status}`),
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {query.hasNextPage && <MoreButton testId={testId} busy={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()} />}
    </RelatedCard>
  );
}

/** The applications an organisation leads or takes part in, 20 at a time, in rank order within each call. */
export function RelatedApplications({ filter, testId, action }: { filter: ApplicationFilter; testId: string; action?: ReactNode }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { navigate } = useRouter();
  const query = useInfiniteQuery({
    queryKey: ['applications', 'related', filter],
    queryFn: ({ pageParam }) => api.applicationsList({ ...filter, offset: pageParam, limit: PAGE }),
    initialPageParam: 0,
    getNextPageParam: (last) => (last.offset + last.rows.length < last.total ? last.offset + last.rows.length : undefined),
  });
  const rows = query.data?.pages.flatMap((p) => p.rows) ?? [];
  const total = query.data?.pages[0]?.total ?? null;
  return (
    <RelatedCard title={t('nav.applications')} testId={testId} count={total === null ? null : formatNumber(total, lang)} action={action}>
      {query.isPending && <Spinner label={t('common.loading')} />}
      {query.error && <ErrorBanner error={toIpcError(query.error)} onRetry={() => void query.refetch()} />}
      {total === 0 && <p className="muted">{t('applications.noneRelated')}</p>}
      {rows.length > 0 && (
        <ul className="link-list" data-testid={testId}>
          {rows.map((a) => (
            <li key={a.id}>
              <button type="button" className="link-row" data-testid="related-application" onClick={() => navigate({ name: 'application', id: a.id })}>
                <span className="link-row-title">
                  {a.title}
                  {(a.reference || a.acronym) && <span className="muted small mono-soft"> · {[a.reference, a.acronym].filter(Boolean).join(' · ')}</span>}
                </span>
                <span className="link-row-sub">
                  {[
                    a.lead_name ? t('applications.ledBy', { name: a.lead_name }) : null,
                    t(`enums.applicationStatus.${a.status}`),
                    a.eligible ? null : t('application.notEligible'),
                    a.rank !== null ? `#${a.rank}` : null,
                    a.score !== null
                      ? t('application.scoreOf', {
                          score: new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(a.score),
                        })
                      : null,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {query.hasNextPage && <MoreButton testId={testId} busy={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()} />}
    </RelatedCard>
  );
}

/** The projects an organisation takes part in, latest start first, 20 at a time; each row opens the project. */
export function RelatedProjects({ filter, testId, action }: { filter: ProjectFilter; testId: string; action?: ReactNode }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { navigate } = useRouter();
  const query = useInfiniteQuery({
    queryKey: ['projects', 'related', filter],
    queryFn: ({ pageParam }) => api.projectsList({ ...filter, offset: pageParam, limit: PAGE }),
    initialPageParam: 0,
    getNextPageParam: (last) => (last.offset + last.rows.length < last.total ? last.offset + last.rows.length : undefined),
  });
  const rows = query.data?.pages.flatMap((p) => p.rows) ?? [];
  const total = query.data?.pages[0]?.total ?? null;
  return (
    <RelatedCard title={t('nav.projects')} testId={testId} count={total === null ? null : formatNumber(total, lang)} action={action}>
      {query.isPending && <Spinner label={t('common.loading')} />}
      {query.error && <ErrorBanner error={toIpcError(query.error)} onRetry={() => void query.refetch()} />}
      {total === 0 && <p className="muted">{t('projects.noneRelated')}</p>}
      {rows.length > 0 && (
        <ul className="link-list" data-testid={testId}>
          {rows.map((p) => (
            <li key={p.id}>
              <button type="button" className="link-row" data-testid="related-project" onClick={() => navigate({ name: 'project', id: p.id })}>
                <span className="link-row-title">
                  {p.title}
                  {p.code && <span className="muted small mono-soft"> · {p.code}</span>}
                </span>
                <span className="link-row-sub">
                  {[t(`enums.projectKind.${p.kind}`), t(`enums.projectStatus.${p.status}`), periodText(t, lang, p.start_date, p.end_date)]
                    .filter(Boolean)
                    .join(' · ')}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {query.hasNextPage && <MoreButton testId={testId} busy={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()} />}
    </RelatedCard>
  );
}

/** Events of a project, or organised by an organisation, latest first, 20 at a time; each row opens the event. */
export function RelatedEvents({ filter, testId, action }: { filter: EventFilter; testId: string; action?: ReactNode }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { navigate } = useRouter();
  const query = useInfiniteQuery({
    queryKey: ['events', 'related', filter],
    queryFn: ({ pageParam }) => api.eventsList({ ...filter, offset: pageParam, limit: PAGE }),
    initialPageParam: 0,
    getNextPageParam: (last) => (last.offset + last.rows.length < last.total ? last.offset + last.rows.length : undefined),
  });
  const rows = query.data?.pages.flatMap((p) => p.rows) ?? [];
  const total = query.data?.pages[0]?.total ?? null;
  return (
    <RelatedCard title={t('nav.events')} testId={testId} count={total === null ? null : formatNumber(total, lang)} action={action}>
      {query.isPending && <Spinner label={t('common.loading')} />}
      {query.error && <ErrorBanner error={toIpcError(query.error)} onRetry={() => void query.refetch()} />}
      {total === 0 && <p className="muted">{t('events.noneRelated')}</p>}
      {rows.length > 0 && (
        <ul className="link-list" data-testid={testId}>
          {rows.map((e) => (
            <li key={e.id}>
              <button type="button" className="link-row" data-testid="related-event" onClick={() => navigate({ name: 'event', id: e.id })}>
                <span className="link-row-title">{e.title}</span>
                <span className="link-row-sub">
                  {[
                    formatDate(e.start_date, lang),
                    t(`enums.eventKind.${e.kind}`),
                    whereText(t, e),
                    e.attended !== null
                      ? t('event.attendedCount', { count: e.attended, formatted: formatNumber(e.attended, lang) })
                      : e.registered !== null
                        ? t('event.registeredCount', { count: e.registered, formatted: formatNumber(e.registered, lang) })
                        : null,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {query.hasNextPage && <MoreButton testId={testId} busy={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()} />}
    </RelatedCard>
  );
}

/** "Online", "Fudan University, Shanghai", "Online · Fudan University, Shanghai" (hybrid), "". */
export function whereText(t: (k: string) => string, e: { online: boolean; venue: string | null }): string {
  return [e.online ? t('event.online') : null, e.venue].filter(Boolean).join(' · ');
}
