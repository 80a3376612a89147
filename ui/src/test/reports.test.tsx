import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import * as echarts from 'echarts/core';
import { describe, expect, it } from 'vitest';

import type { ExportStarted } from '../bindings/ExportStarted';
import type { JobEvent } from '../bindings/JobEvent';
import type { Report } from '../bindings/Report';
import type { ReportQuery } from '../bindings/ReportQuery';
import { formatValue } from '../features/reports/values';
import i18n from '../i18n';
import { formatDate } from '../lib/format';
import { fx } from './fixtures';
import { ipcError, renderApp } from './harness';

type Channel = { onmessage: (e: JobEvent) => void };

/** The shell's answer to `report_export`: the file the dialog gave (null: cancelled); the test sends the job's events. */
function exportAnswer(file: string | null) {
  const channels: Channel[] = [];
  const answer = (args: Record<string, unknown>): ExportStarted | null => {
    channels.push(args.onEvent as Channel);
    return file === null ? null : { job: 9, file };
  };
  const send = (e: JobEvent) => act(() => channels.at(-1)?.onmessage(e));
  return { answer, send };
}

const queries = (h: ReturnType<typeof renderApp>) => h.callsOf('report_preview').map((a) => a.query as ReportQuery);
const agreements = (): Report => fx.report_preview.agreements;

describe('reports', () => {
  it('lists the core’s catalogue from the sidebar, each report with its summary, and asks for a choice', async () => {
    const h = renderApp();
    await screen.findAllByTestId('partner-row');
    await userEvent.click(screen.getByTestId('nav-reports'));
    const list = await screen.findByTestId('report-catalogue');
    expect(screen.getByTestId('nav-reports').getAttribute('aria-current')).toBe('page');
    const shown = within(list).getAllByRole('button');
    expect(shown.map((b) => b.getAttribute('data-testid'))).toEqual(fx.report_catalogue.en.map((r) => `report-choice-${r.code}`));
    for (const [i, r] of fx.report_catalogue.en.entries()) {
      expect(shown[i].textContent).toContain(r.title);
      expect(shown[i].textContent).toContain(r.summary);
      expect(shown[i].getAttribute('aria-pressed')).toBe('false');
    }
    expect(screen.getByText('Choose a report to preview it.')).toBeTruthy();
    expect(h.callsOf('report_catalogue')).toEqual([{ lang: 'en' }]);
    expect(h.callsOf('report_preview')).toEqual([]);
  });

  it('previews the agreement portfolio: key figures, tables formatted by kind, totals and a chart per charted section', async () => {
    const h = renderApp({ route: { name: 'reports' } });
    await userEvent.click(await screen.findByTestId('report-choice-agreements'));
    expect(screen.getByTestId('report-choice-agreements').getAttribute('aria-pressed')).toBe('true');
    const preview = await screen.findByTestId('report-preview');
    expect(queries(h)).toEqual([{ kind: 'agreements', basis: 'academic', lang: 'en' }]);
    const report = agreements();
    expect(screen.getByTestId('report-title').textContent).toBe(report.title);
    expect(screen.getByTestId('report-scope').textContent).toBe('All data');
    expect(preview.textContent).toContain(`Figures as of ${formatDate(report.date, 'en')} · ${report.workspace}`);

    const figures = screen.getAllByTestId('report-figure');
    expect(figures.map((f) => f.textContent)).toEqual(report.figures.map((f) => `${f.label}${formatValue(f.value, f.kind, 'en')}`));

    for (const s of report.sections) {
      const section = screen.getByTestId(`report-section-${s.key}`);
      expect(within(section).getByRole('heading').textContent).toBe(s.title);
      if (s.note) expect(section.textContent).toContain(s.note);
      const table = within(section).getByTestId('report-table');
      const heads = within(table).getAllByRole('columnheader');
      expect(heads.map((th) => th.textContent)).toEqual(s.columns.map((c) => c.label));
      const rows = within(table).getAllByTestId('report-row');
      expect(rows).toHaveLength(s.rows.length);
      // Numbers to the right, text to the left, every value as its column's kind writes it.
      const cells = within(rows[0]).getAllByRole('cell');
      s.columns.forEach((c, i) => {
        expect(cells[i].textContent).toBe(formatValue(s.rows[0][i], c.kind, 'en'));
        expect(cells[i].classList.contains('num')).toBe(['count', 'number', 'percent', 'money'].includes(c.kind));
      });
      if (s.total) expect(within(section).getByTestId('report-total').textContent).toContain('Total');
    }
    // A chart in each section the core gives one (ECharts loads with the first).
    const charted = report.sections.filter((s) => s.chart && s.rows.length > 0).map((s) => `report-section-${s.key}`);
    expect(charted.length).toBeGreaterThan(0);
    await waitFor(() => expect(screen.getAllByTestId('report-chart')).toHaveLength(charted.length));
    for (const key of charted) expect(within(screen.getByTestId(key)).getByTestId('report-chart')).toBeTruthy();
    // Dates as the app shows them, not as the core's yyyy-mm-dd.
    const expiring = report.sections.find((s) => s.key === 'expiring');
    const end = expiring?.rows[0]?.[expiring.columns.findIndex((c) => c.kind === 'date' && c.label === 'End')];
    expect(typeof end).toBe('string');
    expect(screen.getByTestId('report-section-expiring').textContent).toContain(formatDate(end as string, 'en'));
    expect(screen.getByTestId('report-section-expiring').textContent).not.toContain(end as string);

    // The chart draws the series the core names, over the rows' categories.
    const byZone = report.sections.find((s) => s.key === 'by_zone');
    const chart = await within(screen.getByTestId('report-section-by_zone')).findByTestId('report-chart');
    expect(chart.getAttribute('aria-label')).toBe(byZone?.chart?.title);
    await waitFor(() => expect(echarts.getInstanceByDom(chart)).toBeTruthy());
    const option = echarts.getInstanceByDom(chart)?.getOption() as { xAxis: { data: string[] }[]; series: { name: string; data: unknown[] }[] };
    expect(option.xAxis[0].data).toEqual(byZone?.rows.map((r) => r[0]));
    expect(option.series.map((s) => s.name)).toEqual(byZone?.chart?.series.map((i) => byZone.columns[i].label));
    expect(option.series[0].data).toEqual(byZone?.rows.map((r) => r[byZone.chart?.series[0] ?? 0]));
  });

  it('previews every report the core makes on the demo: each section with its rows, and its chart when it has one', async () => {
    renderApp({ route: { name: 'reports' } });
    const made = Object.values(fx.report_preview);
    expect(made.length).toBeGreaterThan(1);
    for (const report of made) {
      await userEvent.click(await screen.findByTestId(`report-choice-${report.kind}`));
      await waitFor(() => expect(screen.getByTestId('report-title').textContent).toBe(report.title));
      for (const s of report.sections) {
        const section = screen.getByTestId(`report-section-${s.key}`);
        expect(within(section).queryAllByTestId('report-row')).toHaveLength(Math.min(s.rows.length, 100));
        if (s.rows.length > 100) expect(within(section).getByTestId('report-show-all')).toBeTruthy();
      }
      const charted = report.sections.filter((s) => s.chart && s.rows.length > 0).length;
      await waitFor(() => expect(screen.queryAllByTestId('report-chart')).toHaveLength(charted));
    }
  });

  it('shows the filters each report takes, as the core says, and sends only those', async () => {
    const h = renderApp({
      route: { name: 'reports' },
      overrides: {
        report_preview: (args, f) => {
          const q = args.query as ReportQuery;
          if (q.kind === 'csc') throw ipcError('conflict', 'the csc report is not available yet');
          return f.report_preview[q.kind] ?? f.report_preview.agreements;
        },
      },
    });
    const takes = (code: string) => fx.report_catalogue.en.find((r) => r.code === code)?.filters ?? [];
    await userEvent.click(await screen.findByTestId('report-choice-agreements'));
    await screen.findByTestId('report-preview');
    expect(Boolean(screen.queryByTestId('report-filter-year'))).toBe(takes('agreements').includes('year'));
    expect(Boolean(screen.queryByTestId('report-filter-zone'))).toBe(takes('agreements').includes('zone'));
    expect(Boolean(screen.queryByTestId('report-filter-partner'))).toBe(takes('agreements').includes('partner'));
    await userEvent.selectOptions(screen.getByTestId('report-filter-zone'), 'china');
    await waitFor(() => expect(queries(h).at(-1)).toEqual({ kind: 'agreements', basis: 'academic', lang: 'en', zone: 'china' }));

    // Mobility takes a year: the zone chosen stays, the year and its basis go with it.
    await userEvent.click(screen.getByTestId('report-choice-mobility'));
    await userEvent.selectOptions(await screen.findByTestId('report-filter-year'), '2025');
    expect(screen.getByTestId('report-filter-year').textContent).toContain('2025/2026');
    await userEvent.selectOptions(screen.getByTestId('report-filter-basis'), 'calendar');
    await waitFor(() =>
      expect(queries(h).at(-1)).toEqual({ kind: 'mobility', basis: 'calendar', lang: 'en', zone: 'china', year: 2025 }),
    );

    // The CSC campaign takes no zone: none is sent; its error is said in words.
    await userEvent.click(screen.getByTestId('report-choice-csc'));
    const error = await screen.findByTestId('report-error');
    expect(error.textContent).toContain('This report could not be made.');
    expect(error.textContent).toContain('the csc report is not available yet');
    expect(queries(h).at(-1)).toEqual({ kind: 'csc', basis: 'calendar', lang: 'en', year: 2025 });
    expect(screen.queryByTestId('report-filter-zone')).toBeNull();

    // Back on another page and again: the report and the filters are where the user left them.
    await userEvent.click(screen.getByTestId('nav-partners'));
    await screen.findAllByTestId('partner-row');
    await userEvent.click(screen.getByTestId('nav-reports'));
    expect((await screen.findByTestId('report-choice-csc')).getAttribute('aria-pressed')).toBe('true');
    expect((screen.getByTestId('report-filter-year') as HTMLSelectElement).value).toBe('2025');
  });

  it('says what a report counts without a year, as the core says: the year under way for a zone, else every year', async () => {
    renderApp({ route: { name: 'reports' } });
    await userEvent.click(await screen.findByTestId('report-choice-zone'));
    const year = await screen.findByTestId('report-filter-year');
    const current = fx.report_catalogue.en.find((r) => r.code === 'zone')?.without_year;
    expect(current).toBe('current');
    const empty = () => within(screen.getByTestId('report-filter-year')).getAllByRole('option')[0].textContent;
    expect(empty()).toMatch(/^This year \(\d{4}\/\d{4}\)$/);
    expect(year.textContent).not.toContain('All years');
    await userEvent.click(screen.getByTestId('report-choice-mobility'));
    await screen.findByTestId('report-filter-year');
    expect(empty()).toBe('All years');
  });

  it('says which filter the core refused, in the reader’s language', async () => {
    renderApp({
      route: { name: 'reports', preset: { kind: 'mobility', year: '2025' } },
      overrides: {
        report_preview: () => {
          throw ipcError('invalid', 'invalid report', [{ field: 'year', code: 'year', message: '2025 is not a year between 1950 and 2100' }]);
        },
      },
    });
    const error = await screen.findByTestId('report-error');
    expect(error.textContent).toContain('Enter an academic year such as 2025 (for 2025/2026).');
    await act(() => i18n.changeLanguage('fr'));
    await waitFor(() => expect(screen.getByTestId('report-error').textContent).toContain('Ce rapport n’a pas pu être établi.'));
  });

  it('exports the previewed report with the keyboard, with progress, Cancel and a toast naming the file', async () => {
    const shell = exportAnswer('Agreement portfolio — China.xlsx');
    const h = renderApp({
      route: { name: 'reports', preset: { kind: 'agreements', zone: 'china' } },
      overrides: { report_export: shell.answer, job_cancel: () => true },
    });
    await screen.findByTestId('report-preview');
    const xlsx = screen.getByTestId('report-export-xlsx');
    expect(xlsx.getAttribute('aria-label')).toContain('XLSX');
    xlsx.focus();
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(h.callsOf('report_export')).toHaveLength(1));
    expect(h.callsOf('report_export')[0]).toMatchObject({
      format: 'xlsx',
      query: { kind: 'agreements', basis: 'academic', lang: 'en', zone: 'china' },
    });
    const job = await screen.findByTestId('job');
    expect(job.textContent).toContain('Exporting a report');
    shell.send({ event: 'progress', done: 3, total: 9, step: 'Agreement portfolio' });
    await waitFor(() => expect(screen.getByTestId('job-detail').textContent).toBe('Agreement portfolio: 3 of 9'));
    shell.send({ event: 'done' });
    await waitFor(() => expect(screen.queryByTestId('job')).toBeNull());
    expect((await screen.findByTestId('toast')).textContent).toContain('Report saved to Agreement portfolio — China.xlsx');

    // PDF, then Cancel: the shell is asked to stop job 9 and nothing is said to be written.
    expect(screen.getAllByRole('button', { name: /^Export / }).map((b) => b.textContent)).toEqual(['XLSX', 'PDF', 'JSON']);
    await userEvent.click(screen.getByTestId('report-export-pdf'));
    await waitFor(() => expect(h.callsOf('report_export')).toHaveLength(2));
    expect(h.callsOf('report_export')[1].format).toBe('pdf');
    await userEvent.click(await screen.findByTestId('job-cancel'));
    expect(h.callsOf('job_cancel')).toEqual([{ id: 9 }]);
    shell.send({ event: 'cancelled' });
    await waitFor(() => expect(screen.getAllByTestId('toast').at(-1)?.textContent).toContain('Export cancelled: no file was written.'));
  });

  it('speaks French: the catalogue, the filters, numbers and dates in French', async () => {
    await act(() => i18n.changeLanguage('fr'));
    const h = renderApp({ route: { name: 'reports', preset: { kind: 'agreements' } } });
    await screen.findByTestId('report-preview');
    expect(h.callsOf('report_catalogue')).toEqual([{ lang: 'fr' }]);
    const french = fx.report_catalogue.fr.find((r) => r.code === 'agreements');
    expect(screen.getByTestId('report-choice-agreements').textContent).toContain(french?.title);
    expect(queries(h).at(-1)).toMatchObject({ lang: 'fr' });
    expect(screen.getByTestId('nav-reports').textContent).toBe('Rapports');
    expect(screen.getByTestId('report-scope').textContent).toBe('Toutes les données');
    expect(screen.getByLabelText('Zone')).toBeTruthy();
    expect(screen.getByTestId('report-export-xlsx').textContent).toBe('XLSX');
    expect(formatValue(1234.5, 'number', 'fr')).toBe('1\u202f234,5');
    expect(formatValue(0.25, 'percent', 'fr')).toBe('25\u00a0%');
    expect(formatValue('2027-02-28', 'date', 'fr')).toBe(formatDate('2027-02-28', 'fr'));
  });
});
