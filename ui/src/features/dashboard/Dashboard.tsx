import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';

import type { Dashboard as Figures } from '../../bindings/Dashboard';
import type { Direction } from '../../bindings/Direction';
import type { YearFigures } from '../../bindings/YearFigures';
import type { Zone } from '../../bindings/Zone';
import { ApplicationStatusBadge } from '../../components/ApplicationStatusBadge';
import { ErrorBanner, Spinner } from '../../components/Feedback';
import { api, toIpcError } from '../../ipc';
import { academicYearLabel, currentAcademicYear } from '../../lib/enums';
import { formatNumber } from '../../lib/format';
import { usePersistentState } from '../../lib/persist';
import { useRouter, type Route } from '../../router';

// ECharts is only loaded with the dashboard.
const ExchangesChart = lazy(() => import('./ExchangesChart'));

/** How many academic years the chart shows. */
const SPAN = 10;

/** A figure that opens the list it counts. */
function Figure({ value, label, testId, route }: { value: number; label: string; testId: string; route: Route }) {
  const { i18n } = useTranslation();
  const { navigate } = useRouter();
  return (
    <button type="button" className="figure-link" data-testid={testId} aria-label={label} title={label} onClick={() => navigate(route)}>
      {formatNumber(value, i18n.language)}
    </button>
  );
}

export function Dashboard() {
  const { t } = useTranslation();
  const uid = useId();
  const [year, setYear] = usePersistentState<string>('dashboard.year', '');
  const academicYear = year ? Number(year) : undefined;
  const query = useQuery({
    queryKey: ['dashboard', academicYear ?? null],
    queryFn: () => api.dashboard(academicYear === undefined ? { years: SPAN } : { academic_year: academicYear, years: SPAN }),
  });
  const thisYear = currentAcademicYear();
  const choices = Array.from({ length: 12 }, (_, i) => thisYear + 1 - i);
  if (academicYear !== undefined && !choices.includes(academicYear)) choices.push(academicYear);

  return (
    <div className="page page-dashboard">
      <header className="page-head">
        <div className="page-title-block">
          <h1 className="page-title">{t('dashboard.title')}</h1>
          <p className="page-subtitle muted">{academicYear === undefined ? t('dashboard.allYearsText') : t('dashboard.yearText', { year: academicYearLabel(academicYear) })}</p>
        </div>
        <div className="filter filter-wide">
          <label className="filter-label" htmlFor={`${uid}-year`}>
            {t('dashboard.year')}
          </label>
          <select id={`${uid}-year`} className="select" data-testid="dashboard-year" value={year} onChange={(e) => setYear(e.target.value)}>
            <option value="">{t('dashboard.allYears')}</option>
            {choices.map((y) => (
              <option key={y} value={String(y)}>
                {academicYearLabel(y)}
              </option>
            ))}
          </select>
        </div>
      </header>

      {query.isPending && <Spinner label={t('common.loading')} />}
      {query.error && <ErrorBanner error={toIpcError(query.error)} onRetry={() => void query.refetch()} />}
      {query.data && <Body figures={query.data} academicYear={academicYear} lastYear={academicYear ?? thisYear} />}
    </div>
  );
}

function Body({ figures, academicYear, lastYear }: { figures: Figures; academicYear: number | undefined; lastYear: number }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { navigate } = useRouter();
  const yearText = academicYear === undefined ? t('dashboard.allYears') : academicYearLabel(academicYear);
  const exchanges = (zone: Zone | undefined, direction: Direction, y: number | undefined): Route => ({
    name: 'exchanges',
    preset: { ...(zone ? { zone } : {}), direction, status: 'counted', ...(y !== undefined ? { year: String(y) } : {}) },
  });
  const years = useMemo(() => Array.from({ length: SPAN }, (_, i) => lastYear - SPAN + 1 + i), [lastYear]);
  const partners = figures.zones.reduce((s, z) => s + z.partners, 0);
  // Exchange totals come from the core: they include exchanges in no zone, as the unfiltered list does.
  const { incoming, outgoing, without_zone: withoutZone } = figures.totals;
  const applications = figures.applications.reduce((s, a) => s + a.count, 0);

  return (
    <div className="dashboard">
      <section className="card dashboard-zones" aria-labelledby="dashboard-zones-title">
        <h2 className="card-title" id="dashboard-zones-title">
          {t('dashboard.byZone')}
        </h2>
        <div className="table-wrap">
          <table className="data-table figures" data-testid="dashboard-zones">
            <thead>
              <tr>
                <th scope="col">{t('dashboard.zone')}</th>
                <th scope="col" className="num">
                  {t('dashboard.partners')}
                </th>
                <th scope="col" className="num">
                  {t('dashboard.agreements')}
                </th>
                <th scope="col" className="num">
                  {t('dashboard.incoming')}
                </th>
                <th scope="col" className="num">
                  {t('dashboard.outgoing')}
                </th>
                <th scope="col" className="num">
                  {t('dashboard.applicationsByZone')}
                </th>
              </tr>
            </thead>
            <tbody>
              {figures.zones.map((z) => {
                const zone = t(`enums.zone.${z.zone}`);
                return (
                  <tr key={z.zone} data-testid={`dashboard-zone-${z.zone}`}>
                    <th scope="row">{zone}</th>
                    <td className="num">
                      <Figure
                        value={z.partners}
                        testId="figure-partners"
                        label={t('dashboard.openPartners', { zone, count: z.partners })}
                        route={{ name: 'partners', preset: { zone: z.zone } }}
                      />
                    </td>
                    <td className="num">
                      <Figure
                        value={z.active_agreements}
                        testId="figure-agreements"
                        label={t('dashboard.openAgreements', { zone, count: z.active_agreements })}
                        route={{ name: 'agreements', preset: { zone: z.zone, status: 'in_force' } }}
                      />
                    </td>
                    <td className="num">
                      <Figure
                        value={z.incoming}
                        testId="figure-incoming"
                        label={t('dashboard.openIncoming', { zone, count: z.incoming, year: yearText })}
                        route={exchanges(z.zone, 'incoming', academicYear)}
                      />
                    </td>
                    <td className="num">
                      <Figure
                        value={z.outgoing}
                        testId="figure-outgoing"
                        label={t('dashboard.openOutgoing', { zone, count: z.outgoing, year: yearText })}
                        route={exchanges(z.zone, 'outgoing', academicYear)}
                      />
                    </td>
                    <td className="num">
                      <Figure
                        value={z.applications}
                        testId="figure-applications"
                        label={t('dashboard.openZoneApplications', { zone, count: z.applications })}
                        route={{ name: 'applications', preset: { zone: z.zone } }}
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
            <tfoot>
              <tr data-testid="dashboard-zone-all">
                <th scope="row">{t('dashboard.allZones')}</th>
                <td className="num">
                  <Figure
                    value={partners}
                    testId="figure-partners"
                    label={t('dashboard.openPartners', { zone: t('dashboard.allZones'), count: partners })}
                    route={{ name: 'partners', preset: {} }}
                  />
                </td>
                <td className="num">
                  <Figure
                    value={figures.agreements_in_force}
                    testId="figure-agreements"
                    label={t('dashboard.openAgreements', { zone: t('dashboard.allZones'), count: figures.agreements_in_force })}
                    route={{ name: 'agreements', preset: { status: 'in_force' } }}
                  />
                </td>
                <td className="num">
                  <Figure
                    value={incoming}
                    testId="figure-incoming"
                    label={t('dashboard.openIncoming', { zone: t('dashboard.allZones'), count: incoming, year: yearText })}
                    route={exchanges(undefined, 'incoming', academicYear)}
                  />
                </td>
                <td className="num">
                  <Figure
                    value={outgoing}
                    testId="figure-outgoing"
                    label={t('dashboard.openOutgoing', { zone: t('dashboard.allZones'), count: outgoing, year: yearText })}
                    route={exchanges(undefined, 'outgoing', academicYear)}
                  />
                </td>
                <td className="num">
                  <Figure
                    value={applications}
                    testId="figure-applications"
                    label={t('dashboard.openApplications', { count: applications })}
                    route={{ name: 'applications', preset: {} }}
                  />
                </td>
              </tr>
            </tfoot>
          </table>
        </div>
        <p className="muted small">{t('dashboard.zonesNote')}</p>
        <p className="muted small">{t('dashboard.agreementsNoTotal')}</p>
        {withoutZone > 0 && (
          <p className="muted small" data-testid="dashboard-without-zone">
            {t('dashboard.withoutZone', { count: withoutZone })}
          </p>
        )}
      </section>

      <section className="card dashboard-chart" aria-labelledby="dashboard-chart-title">
        <h2 className="card-title" id="dashboard-chart-title">
          {t('dashboard.byYear', { from: academicYearLabel(years[0]), to: academicYearLabel(years[years.length - 1]) })}
        </h2>
        {figures.years.length === 0 ? (
          <p className="muted">{t('dashboard.noExchanges')}</p>
        ) : (
          <>
            <Suspense fallback={<Spinner label={t('common.loading')} />}>
              <ExchangesChart
                figures={figures.years}
                years={years}
                onOpen={({ zone, direction, year }) => navigate(exchanges(zone, direction, year))}
              />
            </Suspense>
            <p className="muted small">{t('dashboard.chartHint')}</p>
            <YearTable figures={figures.years} years={years} open={(zone, direction, y) => navigate(exchanges(zone, direction, y))} />
          </>
        )}
      </section>

      <div className="dashboard-pair">
        <section className="card" aria-labelledby="dashboard-calls-title">
          <h2 className="card-title" id="dashboard-calls-title">
            {t('dashboard.calls')}
          </h2>
          <div className="stats">
            <div className="stat">
              <span className="stat-label">{t('dashboard.openCalls')}</span>
              <span className="stat-value">
                <Figure
                  value={figures.open_calls}
                  testId="dashboard-open-calls"
                  label={t('dashboard.openOpenCalls', { count: figures.open_calls })}
                  route={{ name: 'calls', preset: { status: 'open' } }}
                />
              </span>
            </div>
            <div className="stat">
              <span className="stat-label">{t('dashboard.applicationsTotal')}</span>
              <span className="stat-value">
                <Figure
                  value={applications}
                  testId="dashboard-applications-all"
                  label={t('dashboard.openApplications', { count: applications })}
                  route={{ name: 'applications', preset: {} }}
                />
              </span>
            </div>
          </div>
        </section>

        <section className="card" aria-labelledby="dashboard-applications-title">
          <h2 className="card-title" id="dashboard-applications-title">
            {t('dashboard.applications')}
          </h2>
          {figures.applications.length === 0 ? (
            <p className="muted">{t('dashboard.noApplications')}</p>
          ) : (
            <ul className="status-counts" data-testid="dashboard-applications">
              {figures.applications.map((a) => (
                <li key={a.status}>
                  <ApplicationStatusBadge status={a.status} />
                  <Figure
                    value={a.count}
                    testId={`dashboard-applications-${a.status}`}
                    label={t('dashboard.openApplicationsStatus', {
                      count: a.count,
                      formatted: formatNumber(a.count, lang),
                      status: t(`enums.applicationStatus.${a.status}`),
                    })}
                    route={{ name: 'applications', preset: { status: a.status } }}
                  />
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}

/** The chart's figures as a table (for the keyboard and screen readers): each count opens its exchanges. */
function YearTable({ figures, years, open }: { figures: YearFigures[]; years: number[]; open: (zone: Zone, direction: Direction, year: number) => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const zones = [...new Set(figures.map((f) => f.zone))];
  return (
    <details className="year-figures" data-testid="dashboard-years">
      <summary>{t('dashboard.yearTable')}</summary>
      <div className="table-wrap">
        <table className="data-table figures">
          <thead>
            <tr>
              <th scope="col">{t('agreement.academicYear')}</th>
              {zones.map((z) => (
                <th key={z} scope="col" className="num">
                  {t(`enums.zone.${z}`)}
                  <span className="block muted small">{t('dashboard.inOut')}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {years.map((y) => (
              <tr key={y} data-testid={`dashboard-year-${y}`}>
                <th scope="row" className="year-label">
                  {academicYearLabel(y)}
                </th>
                {zones.map((z) => {
                  const f = figures.find((x) => x.academic_year === y && x.zone === z);
                  const zone = t(`enums.zone.${z}`);
                  const year = academicYearLabel(y);
                  return (
                    <td key={z} className="num in-out">
                      <button
                        type="button"
                        className="figure-link"
                        data-testid={`year-${z}-incoming`}
                        aria-label={t('dashboard.openIncoming', { zone, count: f?.incoming ?? 0, year })}
                        onClick={() => open(z, 'incoming', y)}
                      >
                        {formatNumber(f?.incoming ?? 0, lang)}
                      </button>
                      <span className="muted" aria-hidden="true">
                        {' / '}
                      </span>
                      <button
                        type="button"
                        className="figure-link"
                        data-testid={`year-${z}-outgoing`}
                        aria-label={t('dashboard.openOutgoing', { zone, count: f?.outgoing ?? 0, year })}
                        onClick={() => open(z, 'outgoing', y)}
                      >
                        {formatNumber(f?.outgoing ?? 0, lang)}
                      </button>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
