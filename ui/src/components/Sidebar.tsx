import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { useJobs } from '../hooks/useJobs';
import { useToast } from '../hooks/useToast';
import { api, toIpcError } from '../ipc';
import { formatNumber, toInt } from '../lib/format';

import { sectionOf, useRouter, type Section } from '../router';
import { Kbd } from './Feedback';
import {
  IconAgreement,
  IconApplication,
  IconBell,
  IconBuilding,
  IconCalendar,
  IconCall,
  IconDashboard,
  IconExchange,
  IconProject,
  IconReport,
  IconSync,
  IconUpload,
  IconUsers,
} from './icons';

export function Sidebar({ replicaName }: { replicaName: string | null }) {
  const { t, i18n } = useTranslation();
  const { route, openSection } = useRouter();
  const current = sectionOf(route);
  const items: { section: Section; label: string; icon: ReactNode }[] = [
    { section: 'dashboard', label: t('nav.dashboard'), icon: <IconDashboard /> },
    { section: 'partners', label: t('nav.partners'), icon: <IconBuilding /> },
    { section: 'contacts', label: t('nav.contacts'), icon: <IconUsers /> },
    { section: 'agreements', label: t('nav.agreements'), icon: <IconAgreement /> },
    { section: 'exchanges', label: t('nav.exchanges'), icon: <IconExchange /> },
    { section: 'projects', label: t('nav.projects'), icon: <IconProject /> },
    { section: 'events', label: t('nav.events'), icon: <IconCalendar /> },
    { section: 'calls', label: t('nav.calls'), icon: <IconCall /> },
    { section: 'applications', label: t('nav.applications'), icon: <IconApplication /> },
    { section: 'reminders', label: t('nav.reminders'), icon: <IconBell /> },
    { section: 'reports', label: t('nav.reports'), icon: <IconReport /> },
    { section: 'import', label: t('nav.import'), icon: <IconUpload /> },
    { section: 'sync', label: t('nav.sync'), icon: <IconSync /> },
  ];
  // What waits on the Sync page (laptops to approve, conflicts to settle): its badge.
  const waiting = useQuery({ queryKey: ['syncWaiting'], queryFn: api.syncWaiting });
  const conflicts = useQuery({ queryKey: ['syncConflicts'], queryFn: api.syncConflicts });
  const waitingCount = (waiting.data?.length ?? 0) + (conflicts.data?.length ?? 0);
  const waitingLabel = [
    waiting.data?.length ? t('sync.waitingBadge', { count: waiting.data.length }) : null,
    conflicts.data?.length ? t('sync.conflictsBadge', { count: conflicts.data.length }) : null,
  ]
    .filter(Boolean)
    .join(', ');
  return (
    <aside className="sidebar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          L
        </span>
        <span className="brand-text">
          <span className="brand-name">{t('app.name')}</span>
          <span className="brand-tagline">{t('app.tagline')}</span>
        </span>
      </div>
      <nav aria-label={t('nav.label')}>
        <ul className="nav">
          {items.map((item) => (
            <li key={item.section}>
              <button
                type="button"
                className={`nav-item${current === item.section ? ' is-current' : ''}`}
                aria-current={current === item.section ? 'page' : undefined}
                data-testid={`nav-${item.section}`}
                onClick={() => openSection(item.section)}
              >
                {item.icon}
                <span>{item.label}</span>
                {item.section === 'sync' && waitingCount > 0 && (
                  <span className="nav-badge" data-testid="nav-sync-badge" aria-label={waitingLabel}>
                    {formatNumber(waitingCount, i18n.language)}
                  </span>
                )}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <div className="sidebar-foot">
        <dl className="shortcuts" aria-label={t('app.shortcuts')}>
          <div>
            <dt>
              <Kbd>Ctrl K</Kbd>
            </dt>
            <dd>{t('app.shortcutSearch')}</dd>
          </div>
          <div>
            <dt>
              <Kbd>Ctrl N</Kbd>
            </dt>
            <dd>{t('app.shortcutNew')}</dd>
          </div>
          <div>
            <dt>
              <Kbd>Esc</Kbd>
            </dt>
            <dd>{t('app.shortcutBack')}</dd>
          </div>
        </dl>
        <TestersTools />
        {replicaName && <ReplicaName name={replicaName} />}
      </div>
    </aside>
  );
}

/** Testers only (the app started with LIAISON_TESTING=1): generated data as a long job, beside the lists. */
function TestersTools() {
  const { t, i18n } = useTranslation();
  const testing = useQuery({ queryKey: ['testing'], queryFn: api.testing, staleTime: Infinity });
  const [count, setCount] = useState('20000');
  const jobs = useJobs();
  const toast = useToast();
  const queryClient = useQueryClient();
  if (!testing.data) return null;
  const running = jobs.jobs.some((j) => j.label === 'jobs.scale');
  const generate = async () => {
    const n = toInt(count) ?? 0;
    if (n <= 0) return;
    const { outcome, error } = await jobs.start('jobs.scale', (onEvent) => api.demoScaleJob(n, onEvent));
    if (outcome === 'done') toast.show({ message: 'jobs.done', tone: 'success' });
    else if (outcome === 'cancelled') toast.show({ message: 'jobs.cancelled' });
    else if (error) toast.show({ message: t('jobs.failed', { message: error.message }), raw: true, tone: 'error' });
    void queryClient.invalidateQueries();
  };
  return (
    <form
      className="testers-tools"
      data-testid="testers-tools"
      onSubmit={(e) => {
        e.preventDefault();
        void generate();
      }}
    >
      <p className="testers-title">{t('testing.title')}</p>
      <label className="sr-only" htmlFor="testers-count">
        {t('testing.exchanges')}
      </label>
      <input
        id="testers-count"
        data-testid="testers-count"
        className="input input-small"
        inputMode="numeric"
        value={count}
        title={t('testing.exchanges')}
        onChange={(e) => setCount(e.target.value)}
      />
      <button type="submit" className="btn btn-small" data-testid="testers-generate" disabled={running}>
        {t('testing.generate')}
      </button>
      <span className="testers-hint">
        {t('testing.exchanges')}: {formatNumber(toInt(count) ?? 0, i18n.language)}
      </span>
    </form>
  );
}

/** This computer's name, as the history shows it, renamed in place (Enter saves, Esc cancels). */
function ReplicaName({ name }: { name: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<string | null>(null);
  const rename = useMutation({
    mutationFn: (next: string) => api.replicaRename(next),
    onSuccess: (status) => {
      queryClient.setQueryData(['workspace'], status);
      setEditing(null);
    },
  });
  if (editing === null) {
    return (
      <p className="replica">
        <span data-testid="replica-name-shown">{t('app.replica', { name })}</span>{' '}
        <button type="button" className="link" data-testid="replica-rename" onClick={() => setEditing(name)}>
          {t('app.replicaRename')}
        </button>
      </p>
    );
  }
  const error = rename.error ? toIpcError(rename.error) : null;
  return (
    <form
      className="replica replica-form"
      onSubmit={(e) => {
        e.preventDefault();
        rename.mutate(editing);
      }}
    >
      <label className="sr-only" htmlFor="replica-rename-input">
        {t('app.replicaRenameLabel')}
      </label>
      <input
        id="replica-rename-input"
        data-testid="replica-rename-input"
        className="input input-small-text"
        value={editing}
        maxLength={80}
        autoFocus
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'replica-rename-error' : undefined}
        onChange={(e) => setEditing(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            setEditing(null);
          }
        }}
      />
      <span className="replica-actions">
        <button type="submit" className="btn btn-small" data-testid="replica-rename-save" disabled={rename.isPending}>
          {t('common.save')}
        </button>
        <button type="button" className="btn btn-small" onClick={() => setEditing(null)}>
          {t('common.cancel')}
        </button>
      </span>
      {error && (
        <span className="field-error" id="replica-rename-error" role="alert">
          {error.fields[0]?.message ?? error.message}
        </span>
      )}
    </form>
  );
}
