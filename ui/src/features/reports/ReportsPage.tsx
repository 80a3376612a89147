import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { Report } from '../../bindings/Report';
import type { ReportFilter } from '../../bindings/ReportFilter';
import type { ReportFormat } from '../../bindings/ReportFormat';
import type { ReportInfo } from '../../bindings/ReportInfo';
import type { ReportKind } from '../../bindings/ReportKind';
import type { ReportQuery } from '../../bindings/ReportQuery';
import type { Section } from '../../bindings/Section';
import type { YearBasis } from '../../bindings/YearBasis';
import type { Zone } from '../../bindings/Zone';
import { EmptyState, Spinner } from '../../components/Feedback';
import { FilterSelect } from '../../components/FilterSelect';
import { IconDownload, IconReport } from '../../components/icons';
import { PartnerPicker, type PickedPartner } from '../../components/PartnerPicker';
import { startAfterDialog, useJobs } from '../../hooks/useJobs';
import { useToast } from '../../hooks/useToast';
import { currentLang } from '../../i18n';
import { api, toIpcError } from '../../ipc';
import { academicYearLabel, currentAcademicYear } from '../../lib/enums';
import { fieldErrorText } from '../../lib/errors';
import { formatDate, formatNumber } from '../../lib/format';
import { countryOptions } from '../../lib/geo';
import { useListFilters } from '../../lib/persist';
import { useRules } from '../../lib/rules';
import type { ReportPreset } from '../../router';
import { formatValue, isNumeric } from './values';

// ECharts is only loaded with a chart.
const ReportChart = lazy(() => import('./ReportChart'));

/** The files a report is exported to from here (the core writes each). */
const FORMATS: readonly ReportFormat[] = ['xlsx', 'pdf', 'json'];

/** Rows a section shows before "Show all": a list of a million exchanges is for the export, not the screen. */
const SHOWN_ROWS = 100;

interface Filters {
  kind: ReportKind | '';
  /** A year as text ("2025"); empty: the core's default for the report. */
  year: string;
  basis: YearBasis;
  zone: Zone | '';
  country: string;
  partner: PickedPartner | null;
}

const INITIAL: Filters = { kind: '', year: '', basis: 'academic', zone: '', country: '', partner: null };

/** The query the core gets: the chosen report, with only the filters it takes (it refuses others). */
export function reportQuery(info: ReportInfo, filters: Filters, lang: ReportQuery['lang']): ReportQuery {
  const takes = (f: ReportFilter) => info.filters.includes(f);
  return {
    kind: info.kind,
    basis: filters.basis,
    lang,
    ...(takes('year') && filters.year ? { year: Number(filters.year) } : {}),
    ...(takes('zone') && filters.zone ? { zone: filters.zone } : {}),
    ...(takes('country') && filters.country ? { country: filters.country } : {}),
    ...(takes('partner') && filters.partner ? { partner: filters.partner.id } : {}),
  };
}

/**
 * The Reports page: the core's catalogue of reports; the chosen one's filters (those the core says it takes),
 * its preview (key figures, each section's table and chart) and its export to XLSX, PDF or JSON as a job with
 * progress and Cancel. The report and its filters are remembered for the session, and a route may bring them.
 */
export function ReportsPage({ preset }: { preset?: ReportPreset }) {
  const { t } = useTranslation();
  const lang = currentLang();
  const [filters, setFilters] = useListFilters<Filters>('reports', INITIAL, preset);
  const catalogue = useQuery({ queryKey: ['reportCatalogue', lang], queryFn: () => api.reportCatalogue(lang), staleTime: Infinity });
  const info = catalogue.data?.find((r) => r.kind === filters.kind) ?? null;
  const query = info ? reportQuery(info, filters, lang) : null;
  const update = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));

  return (
    <div className="page page-reports">
      <header className="page-head">
        <div className="page-title-block">
          <h1 className="page-title">{t('reports.title')}</h1>
          <p className="page-subtitle muted">{t('reports.subtitle')}</p>
        </div>
      </header>

      {catalogue.isPending && <Spinner label={t('common.loading')} />}
      {catalogue.error && <ReportError error={catalogue.error} onRetry={() => void catalogue.refetch()} />}
      {catalogue.data && (
        <div className="reports">
          <nav className="report-catalogue" aria-label={t('reports.catalogue')}>
            <ul data-testid="report-catalogue">
              {catalogue.data.map((r) => (
                <li key={r.kind}>
                  <button
                    type="button"
                    className={`report-choice${r.kind === filters.kind ? ' is-current' : ''}`}
                    data-testid={`report-choice-${r.code}`}
                    aria-pressed={r.kind === filters.kind}
                    onClick={() => {
                      if (r.kind === filters.kind) return;
                      update({ kind: r.kind });
                      // The new report from its top, not where the last one was scrolled to.
                      document.getElementById('main')?.scrollTo({ top: 0 });
                    }}
                  >
                    <span className="report-choice-title">{r.title}</span>
                    <span className="report-choice-summary">{r.summary}</span>
                  </button>
                </li>
              ))}
            </ul>
          </nav>
          <div className="report-main">
            {info && query ? (
              <>
                <ReportFilters key={info.kind} info={info} filters={filters} update={update} />
                <Preview query={query} />
              </>
            ) : (
              <EmptyState icon={<IconReport />} title={t('reports.choose')} />
            )}
          </div>
        </div>
      )}
    </div>
  );
}

function ReportFilters({
  info,
  filters,
  update,
}: {
  info: ReportInfo;
  filters: Filters;
  update: (patch: Partial<Filters>) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const rules = useRules();
  const uid = useId();
  const takes = (f: ReportFilter) => info.filters.includes(f);
  const countries = useQuery({ queryKey: ['partnerCountries'], queryFn: api.partnerCountries, enabled: takes('country') });
  const countryChoices = useMemo(() => countryOptions(lang, countries.data ?? []), [lang, countries.data]);
  const thisYear = currentAcademicYear();
  const years = Array.from({ length: 12 }, (_, i) => thisYear + 1 - i);
  if (filters.year && !years.includes(Number(filters.year))) years.push(Number(filters.year));
  const yearLabel = (y: number) => (filters.basis === 'academic' ? academicYearLabel(y) : String(y));

  return (
    <section className="card report-filters" aria-label={t('reports.filters')} data-testid="report-filters">
      <p className="muted small report-summary-narrow">{info.summary}</p>
      <div className="toolbar report-toolbar">
        {info.filters.length === 0 && <p className="muted">{t('reports.noFilters')}</p>}
        {takes('year') && (
          <>
            <div className={`filter filter-wide report-filter-year${filters.year ? ' is-set' : ''}`}>
              <label className="filter-label" htmlFor="report-filter-year">
                {t('reports.year')}
              </label>
              <select
                id="report-filter-year"
                className="select"
                data-testid="report-filter-year"
                value={filters.year}
                onChange={(e) => update({ year: e.target.value })}
              >
                <option value="">
                  {info.without_year === 'current'
                    ? t('reports.currentYear', {
                        year: yearLabel(filters.basis === 'academic' ? thisYear : new Date().getFullYear()),
                      })
                    : t('reports.anyYear')}
                </option>
                {years.map((y) => (
                  <option key={y} value={String(y)}>
                    {yearLabel(y)}
                  </option>
                ))}
              </select>
            </div>
            <div className="filter filter-wide">
              <label className="filter-label" htmlFor={`${uid}-basis`}>
                {t('reports.basis')}
              </label>
              <select
                id={`${uid}-basis`}
                className="select"
                data-testid="report-filter-basis"
                value={filters.basis}
                onChange={(e) => update({ basis: e.target.value as YearBasis })}
              >
                {(['academic', 'calendar'] as const).map((b) => (
                  <option key={b} value={b}>
                    {t(`reports.bases.${b}`)}
                  </option>
                ))}
              </select>
            </div>
          </>
        )}
        {takes('zone') && (
          <FilterSelect
            id="report-filter-zone"
            label={t('reports.zone')}
            value={filters.zone}
            onChange={(v) => update({ zone: v as Zone | '' })}
            options={rules.zones.map((z) => ({ value: z, label: t(`enums.zone.${z}`) }))}
          />
        )}
        {takes('country') && (
          <FilterSelect
            id="report-filter-country"
            label={t('reports.country')}
            value={filters.country}
            onChange={(country) => update({ country })}
            options={countryChoices.map((c) => ({ value: c.code, label: c.name }))}
          />
        )}
        {takes('partner') && (
          <div className={`filter filter-partner${filters.partner ? ' is-set' : ''}`}>
            <label className="filter-label" htmlFor={`${uid}-partner`}>
              {t('reports.partner')}
            </label>
            <PartnerPicker
              id={`${uid}-partner`}
              testId="report-filter-partner"
              value={filters.partner}
              onChange={(partner) => update({ partner })}
              placeholder={t('reports.partnerPlaceholder')}
            />
          </div>
        )}
      </div>
    </section>
  );
}

/** Export XLSX / PDF / JSON: the shell asks where in a native save dialog, then the core writes it as a job. */
function ExportButtons({ query }: { query: ReportQuery }) {
  const { t } = useTranslation();
  const jobs = useJobs();
  const toast = useToast();
  const [busy, setBusy] = useState(false);

  const exportAs = async (format: ReportFormat) => {
    setBusy(true);
    try {
      const run = await startAfterDialog(jobs.start, 'reports.job', (onEvent) => api.reportExport(query, format, onEvent));
      // Null: the save dialog was cancelled.
      if (!run) return;
      const { started, ended: outcome } = run;
      if (outcome.outcome === 'done') toast.show({ message: 'reports.written', values: { file: started.file }, tone: 'success' });
      else if (outcome.outcome === 'cancelled') toast.show({ message: 'reports.cancelled' });
      else toast.show({ message: 'reports.exportFailed', values: { message: outcome.error?.message ?? '' }, tone: 'error' });
    } catch (e) {
      toast.show({ message: 'reports.exportFailed', values: { message: toIpcError(e).message }, tone: 'error' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="report-export" role="group" aria-label={t('reports.exportAs')}>
      <span className="filter-label" aria-hidden="true">
        {t('reports.export')}
      </span>
      <div className="report-export-buttons">
        {FORMATS.map((f) => (
          <button
            key={f}
            type="button"
            className="btn"
            data-testid={`report-export-${f}`}
            title={t(`reports.formatHints.${f}`)}
            aria-label={`${t('reports.export')} ${t(`reports.formats.${f}`)} — ${t(`reports.formatHints.${f}`)}`}
            disabled={busy}
            onClick={() => void exportAs(f)}
          >
            <IconDownload />
            {t(`reports.formats.${f}`)}
          </button>
        ))}
      </div>
    </div>
  );
}

/** A report's error in words: what was wrong with a filter (by its code), else the core's message. */
function ReportError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const e = toIpcError(error);
  return (
    <div className="banner banner-error" role="alert" data-testid="report-error">
      <div className="banner-body">
        <strong>{t('reports.failed')}</strong>
        {e.fields.length > 0 ? (
          e.fields.map((f) => (
            <span key={f.field} className="banner-details">
              {fieldErrorText(t, f)}
            </span>
          ))
        ) : (
          <span className="banner-details">{e.message}</span>
        )}
      </div>
      {onRetry && (
        <button type="button" className="btn btn-sm" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

function Preview({ query }: { query: ReportQuery }) {
  const { t } = useTranslation();
  const report = useQuery({ queryKey: ['report', query], queryFn: () => api.reportPreview(query) });
  if (report.isPending) return <Spinner label={t('reports.building')} />;
  if (report.error) return <ReportError error={report.error} onRetry={() => void report.refetch()} />;
  return <ReportView report={report.data} query={query} />;
}

function ReportView({ report, query }: { report: Report; query: ReportQuery }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <article className="report" data-testid="report-preview" aria-labelledby="report-title">
      <header className="report-head">
        <div className="report-head-text">
          <h2 className="report-title" id="report-title" data-testid="report-title">
            {report.title}
          </h2>
          <p className="report-scope" data-testid="report-scope">
            {report.filters.length === 0
              ? t('reports.allData')
              : report.filters.map((f) => (
                  <span key={f.label} className="report-scope-line">
                    <span className="muted">{t('reports.filterLabel', { label: f.label })}</span> {f.value}
                  </span>
                ))}
          </p>
          <p className="muted small">{t('reports.asOf', { date: formatDate(report.date, lang), workspace: report.workspace })}</p>
        </div>
        <ExportButtons query={query} />
      </header>

      {report.figures.length > 0 && (
        <section className="card" aria-labelledby="report-figures-title">
          <h3 className="card-title" id="report-figures-title">
            {t('reports.keyFigures')}
          </h3>
          <dl className="report-figures" data-testid="report-figures">
            {report.figures.map((f) => (
              <div key={f.label} className="report-figure" data-testid="report-figure">
                <dt className="stat-label">{f.label}</dt>
                <dd className="stat-value">{formatValue(f.value, f.kind, lang) || t('common.none')}</dd>
              </div>
            ))}
          </dl>
        </section>
      )}

      {report.sections.map((s) => (
        <ReportSection key={s.key} section={s} />
      ))}
    </article>
  );
}

function ReportSection({ section }: { section: Section }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [all, setAll] = useState(false);
  const titleId = useId();
  const rows = all ? section.rows : section.rows.slice(0, SHOWN_ROWS);
  const total = section.total ?? null;
  return (
    <section className="card report-section" aria-labelledby={titleId} data-testid={`report-section-${section.key}`}>
      <div className="card-head">
        <h3 className="card-title" id={titleId}>
          {section.title}
        </h3>
        <span className="muted small">{t('reports.rows', { count: section.rows.length, formatted: formatNumber(section.rows.length, lang) })}</span>
      </div>
      {section.note && <p className="muted small report-note">{section.note}</p>}
      {section.chart && section.rows.length > 0 && (
        <figure className="report-figure-chart">
          <figcaption className="report-chart-title">{section.chart.title}</figcaption>
          <Suspense fallback={<Spinner label={t('common.loading')} />}>
            <ReportChart chart={section.chart} section={section} />
          </Suspense>
        </figure>
      )}
      {section.rows.length === 0 ? (
        <p className="muted">{t('reports.noRows')}</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table report-table" data-testid="report-table">
            <thead>
              <tr>
                {section.columns.map((c, i) => (
                  <th key={i} scope="col" className={isNumeric(c.kind) ? 'num' : c.kind === 'date' ? 'date' : undefined}>
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row, r) => (
                <tr key={r} data-testid="report-row">
                  {section.columns.map((c, i) => (
                    <td key={i} className={isNumeric(c.kind) ? 'num' : c.kind === 'date' ? 'date' : undefined}>
                      {formatValue(row[i], c.kind, lang)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
            {total && (
              <tfoot>
                <tr data-testid="report-total">
                  {section.columns.map((c, i) => (
                    <td key={i} className={isNumeric(c.kind) ? 'num' : undefined}>
                      {formatValue(total[i], c.kind, lang)}
                    </td>
                  ))}
                </tr>
              </tfoot>
            )}
          </table>
        </div>
      )}
      {!all && section.rows.length > SHOWN_ROWS && (
        <button type="button" className="btn btn-sm report-show-all" data-testid="report-show-all" onClick={() => setAll(true)}>
          {t('reports.showAll', { count: section.rows.length, formatted: formatNumber(section.rows.length, lang) })}
        </button>
      )}
    </section>
  );
}
