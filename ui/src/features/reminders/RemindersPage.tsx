import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';

import type { Reminder } from '../../bindings/Reminder';
import { EmptyState, ErrorBanner, Spinner } from '../../components/Feedback';
import { PartnerName } from '../../components/Name';
import { IconBell, IconDownload } from '../../components/icons';
import { useToast } from '../../hooks/useToast';
import { api, toIpcError } from '../../ipc';
import { REMINDER_WINDOWS } from '../../lib/enums';
import { formatDate, formatNumber } from '../../lib/format';
import { usePersistentState } from '../../lib/persist';
import { useRouter, type Route } from '../../router';

/** The page a reminder opens (null for a kind of record the app does not know). */
export function routeOfReminder(r: Reminder): Route | null {
  switch (r.entity) {
    case 'agreement':
      return { name: 'agreement', id: r.record_id };
    case 'call':
      return { name: 'call', id: r.record_id };
    case 'exchange':
      return { name: 'exchange', id: r.record_id };
    case 'project':
      return { name: 'project', id: r.record_id };
    case 'event':
      return { name: 'event', id: r.record_id };
    default:
      return null;
  }
}

/** Whole days from today (local calendar) to a yyyy-mm-dd date. */
export function daysFromToday(ymd: string, now: Date = new Date()): number {
  const [y, m, d] = ymd.split('-').map(Number);
  const today = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
  return Math.round((Date.UTC(y, m - 1, d) - today) / 86_400_000);
}

/** "March 2026" for a yyyy-mm-dd date. */
function monthLabel(ymd: string, lang: string): string {
  const [y, m] = ymd.split('-').map(Number);
  return new Intl.DateTimeFormat(lang, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, 1)));
}

/** "today", "tomorrow", "in 12 days", "3 days ago". */
function relativeDay(days: number, lang: string): string {
  try {
    return new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }).format(days, 'day');
  } catch {
    return String(days);
  }
}

/** Soonest first (the core's order: date, then title), grouped by month. */
export function byMonth(reminders: Reminder[]): { month: string; items: Reminder[] }[] {
  const sorted = [...reminders].sort((a, b) => a.date.localeCompare(b.date) || a.title.localeCompare(b.title));
  const groups: { month: string; items: Reminder[] }[] = [];
  for (const r of sorted) {
    const month = r.date.slice(0, 7);
    const last = groups[groups.length - 1];
    if (last && last.month === month) last.items.push(r);
    else groups.push({ month, items: [r] });
  }
  return groups;
}

export function RemindersPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const uid = useId();
  const { navigate } = useRouter();
  const toast = useToast();
  const [within, setWithin] = usePersistentState<number>('reminders.within', 90);
  const query = useQuery({ queryKey: ['reminders', within], queryFn: () => api.reminders(within) });
  const exporting = useMutation({
    mutationFn: () => api.remindersExport(within),
    onSuccess: (path) => {
      // Null: the save dialog was cancelled.
      if (path) toast.show({ message: t('reminders.exported', { path }), raw: true, tone: 'success' });
    },
    onError: (e) => toast.show({ message: toIpcError(e).message, raw: true, tone: 'error' }),
  });

  const queryClient = useQueryClient();
  const dismissing = useMutation({
    mutationFn: (r: Reminder) => api.reminderDismiss(r),
    onSuccess: (_, r) => {
      void queryClient.invalidateQueries({ queryKey: ['reminders'] });
      toast.show({
        message: 'reminders.dismissed',
        tone: 'success',
        action: {
          label: 'common.undo',
          testId: 'reminder-undismiss',
          onClick: async () => {
            await api.reminderUndismiss(r);
            await queryClient.invalidateQueries({ queryKey: ['reminders'] });
          },
        },
      });
    },
    onError: (e) => toast.show({ message: toIpcError(e).message, raw: true, tone: 'error' }),
  });

  // The core puts what is overdue first; it is shown apart, marked, each with its Dismiss.
  const overdue = (query.data ?? []).filter((r) => r.overdue);
  const ahead = (query.data ?? []).filter((r) => !r.overdue);
  const groups = byMonth(ahead);
  const row = (r: Reminder) => {
    const route = routeOfReminder(r);
    const days = daysFromToday(r.date);
    const body = (
      <>
        <span className="reminder-when">
          <time dateTime={r.date} className="reminder-date">
            {formatDate(r.date, lang)}
          </time>
          <span className={r.overdue ? 'reminder-late small' : 'muted small'}>{relativeDay(days, lang)}</span>
        </span>
        <span className="reminder-what">
          {r.overdue && <span className="badge badge-overdue">{t('reminders.overdueMark')}</span>}
          <span className={`badge badge-reminder badge-reminder-${r.kind}`}>{t(`enums.reminderKind.${r.kind}`)}</span>
          <span className="link-row-title">{r.title}</span>
          {r.organisations.length > 0 ? (
            <span className="link-row-sub" data-testid="reminder-organisations">
              {r.organisations.map((labels, i) => (
                <span key={i}>
                  {i > 0 && (r.entity === 'exchange' ? ' → ' : ' · ')}
                  <PartnerName labels={labels} fallback="?" />
                </span>
              ))}
            </span>
          ) : (
            r.detail && <span className="link-row-sub">{r.detail}</span>
          )}
        </span>
      </>
    );
    return (
      <li key={`${r.kind}-${r.record_id}-${r.date}`} className={r.overdue ? 'reminder-item is-overdue' : 'reminder-item'}>
        {route ? (
          <button
            type="button"
            className="link-row reminder-row"
            data-testid="reminder-row"
            data-kind={r.kind}
            data-overdue={r.overdue || undefined}
            onClick={() => navigate(route)}
          >
            {body}
          </button>
        ) : (
          <div className="link-row reminder-row is-static" data-testid="reminder-row" data-kind={r.kind} data-overdue={r.overdue || undefined}>
            {body}
          </div>
        )}
        {r.overdue && (
          <button
            type="button"
            className="btn btn-ghost btn-sm reminder-dismiss"
            data-testid="reminder-dismiss"
            title={t('reminders.dismissHint')}
            aria-label={t('reminders.dismissWhat', { what: `${t(`enums.reminderKind.${r.kind}`)} — ${r.title}` })}
            disabled={dismissing.isPending}
            onClick={() => dismissing.mutate(r)}
          >
            {t('reminders.dismiss')}
          </button>
        )}
      </li>
    );
  };
  return (
    <div className="page page-reminders">
      <header className="page-head">
        <div className="page-title-block">
          <h1 className="page-title">{t('reminders.title')}</h1>
          <p className="page-subtitle">
            <span data-testid="reminder-count" aria-live="polite">
              {query.data
                ? [
                    overdue.length > 0 ? t('reminders.overdueCount', { count: overdue.length, formatted: formatNumber(overdue.length, lang) }) : null,
                    t('reminders.count', { count: ahead.length, formatted: formatNumber(ahead.length, lang), days: within }),
                  ]
                    .filter(Boolean)
                    .join(' · ')
                : t('common.loading')}
            </span>
          </p>
        </div>
        <div className="page-head-actions">
          <div className="filter filter-wide">
            <label className="filter-label" htmlFor={`${uid}-within`}>
              {t('reminders.window')}
            </label>
            <select
              id={`${uid}-within`}
              className="select"
              data-testid="reminders-window"
              value={String(within)}
              onChange={(e) => setWithin(Number(e.target.value))}
            >
              {REMINDER_WINDOWS.map((d) => (
                <option key={d} value={String(d)}>
                  {t('reminders.next', { count: d })}
                </option>
              ))}
            </select>
          </div>
          <button
            type="button"
            className="btn"
            data-testid="reminders-export"
            disabled={exporting.isPending}
            aria-busy={exporting.isPending || undefined}
            onClick={() => exporting.mutate()}
          >
            <IconDownload />
            {exporting.isPending ? t('reminders.exporting') : t('reminders.export')}
          </button>
        </div>
      </header>

      {query.isPending && <Spinner label={t('common.loading')} />}
      {query.error && <ErrorBanner error={toIpcError(query.error)} onRetry={() => void query.refetch()} />}
      {query.data && query.data.length === 0 && (
        <EmptyState icon={<IconBell />} title={t('reminders.emptyTitle')} text={t('reminders.emptyText', { count: within })} />
      )}
      {overdue.length > 0 && (
        <section className="card reminder-month reminder-overdue" aria-labelledby={`${uid}-overdue`} data-testid="reminders-overdue">
          <h2 className="card-title" id={`${uid}-overdue`}>
            {t('reminders.overdueTitle')}
          </h2>
          <ul className="link-list reminder-list">{overdue.map(row)}</ul>
        </section>
      )}
      {groups.map((g) => (
        <section key={g.month} className="card reminder-month" aria-labelledby={`${uid}-${g.month}`}>
          <h2 className="card-title" id={`${uid}-${g.month}`}>
            {monthLabel(`${g.month}-01`, lang)}
          </h2>
          <ul className="link-list reminder-list">{g.items.map(row)}</ul>
        </section>
      ))}
      <p className="muted small">{t('reminders.hint')}</p>
    </div>
  );
}
