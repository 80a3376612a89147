import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { StartChoice } from '../bindings/StartChoice';
import { ErrorBanner } from '../components/Feedback';
import { LangSwitch, ThemeSwitch } from '../components/Header';
import { IconFile, IconSparkle, IconSync } from '../components/icons';
import { startAfterDialog, useJobs } from '../hooks/useJobs';
import { useToast } from '../hooks/useToast';
import { api, toIpcError } from '../ipc';
import { toInt } from '../lib/format';
import { useTheme } from '../lib/theme';
import { useRouter } from '../router';

export function FirstRun() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [theme, setTheme] = useTheme();
  // Untouched, the suggested name follows the language.
  const [edited, setEdited] = useState<string | null>(null);
  const name = edited ?? t('firstRun.defaultName');
  const testing = useQuery({ queryKey: ['testing'], queryFn: api.testing, staleTime: Infinity });
  const [generated, setGenerated] = useState('0');
  const jobs = useJobs();
  const toast = useToast();
  const start = useMutation({
    mutationFn: async (choice: StartChoice) => {
      const replica = name.trim() || t('firstRun.defaultName');
      const extra = choice === 'demo' ? (toInt(generated) ?? 0) : 0;
      if (extra <= 0) return api.workspaceStart(choice, replica);
      // A long job in one transaction: Cancel leaves the workspace as it was, not set up.
      const { outcome, error } = await jobs.start('jobs.startDemo', (onEvent) =>
        api.workspaceStartJob(choice, replica, extra, onEvent),
      );
      if (outcome === 'cancelled') toast.show({ message: 'jobs.cancelled' });
      if (error) throw error;
      return api.workspaceStatus();
    },
    onSuccess: (status) => {
      queryClient.setQueryData(['workspace'], status);
      void queryClient.invalidateQueries();
    },
  });
  const { navigate } = useRouter();
  const [passphrase, setPassphrase] = useState('');
  // Joining a workspace from a snapshot file another laptop made: a job, then the Sync page, where this
  // laptop's fingerprint waits to be read to whoever approves it.
  const join = useMutation({
    mutationFn: async () => {
      const replica = name.trim() || t('firstRun.defaultName');
      const run = await startAfterDialog(jobs.start, 'firstRun.joining', (onEvent) =>
        api.workspaceJoin(replica, passphrase || null, onEvent),
      );
      if (!run) return null;
      const { started } = run;
      const { outcome, error } = run.ended;
      if (outcome === 'cancelled') {
        toast.show({ message: 'jobs.cancelled' });
        return null;
      }
      if (error) throw error;
      const joined = await api.syncOutcome(started.ticket);
      const from = joined.kind === 'received' ? (joined.files[0]?.imported?.sender_name ?? '') : '';
      return { status: await api.workspaceStatus(), from };
    },
    onSuccess: (done) => {
      if (!done) return;
      toast.show({ message: 'firstRun.joined', values: { from: done.from }, tone: 'success' });
      navigate({ name: 'sync' });
      queryClient.setQueryData(['workspace'], done.status);
      void queryClient.invalidateQueries();
    },
  });
  const busy = start.isPending || join.isPending;
  return (
    <div className="first-run">
      <div className="first-run-switches">
        <LangSwitch />
        <ThemeSwitch theme={theme} onTheme={setTheme} />
      </div>
      <div className="first-run-card">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true">
            L
          </span>
          <span className="brand-name">{t('app.name')}</span>
        </div>
        <h1>{t('firstRun.title')}</h1>
        <p className="lead">{t('firstRun.subtitle')}</p>
        {start.error && <ErrorBanner error={toIpcError(start.error)} />}
        {join.error && <ErrorBanner error={toIpcError(join.error)} />}
        <div className="field field-stacked">
          <label className="field-label" htmlFor="replica-name">
            {t('firstRun.replicaName')}
          </label>
          <input
            id="replica-name"
            data-testid="replica-name"
            className="input"
            value={name}
            maxLength={80}
            aria-describedby="replica-hint"
            onChange={(e) => setEdited(e.target.value)}
          />
          <p className="field-hint" id="replica-hint">
            {t('firstRun.replicaHint')}
          </p>
        </div>
        {testing.data && (
          <details className="testers" data-testid="testers">
            <summary>{t('firstRun.testers')}</summary>
            <div className="field field-stacked">
              <label className="field-label" htmlFor="generated">
                {t('firstRun.generated')}
              </label>
              <input
                id="generated"
                data-testid="generated"
                className="input input-narrow"
                inputMode="numeric"
                value={generated}
                aria-describedby="generated-hint"
                onChange={(e) => setGenerated(e.target.value)}
              />
              <p className="field-hint" id="generated-hint">
                {t('firstRun.generatedHint')}
              </p>
            </div>
          </details>
        )}
        <div className="choice-grid">
          <button
            type="button"
            className="choice choice-primary"
            data-testid="start-demo"
            disabled={busy}
            onClick={() => start.mutate('demo')}
          >
            <IconSparkle className="choice-icon" />
            <span className="choice-title">{t('firstRun.demoTitle')}</span>
            <span className="choice-text">{t('firstRun.demoText')}</span>
          </button>
          <button
            type="button"
            className="choice"
            data-testid="start-empty"
            disabled={busy}
            onClick={() => start.mutate('empty')}
          >
            <IconFile className="choice-icon" />
            <span className="choice-title">{t('firstRun.emptyTitle')}</span>
            <span className="choice-text">{t('firstRun.emptyText')}</span>
          </button>
          <button type="button" className="choice" data-testid="start-join" disabled={busy} onClick={() => join.mutate()}>
            <IconSync className="choice-icon" />
            <span className="choice-title">{t('firstRun.joinTitle')}</span>
            <span className="choice-text">{t('firstRun.joinText')}</span>
          </button>
        </div>
        <details className="testers" data-testid="join-passphrase">
          <summary>{t('firstRun.joinProtected')}</summary>
          <div className="field field-stacked">
            <label className="field-label" htmlFor="join-passphrase">
              {t('sync.passphrase')}
            </label>
            <input
              id="join-passphrase"
              data-testid="join-passphrase-input"
              type="password"
              className="input"
              autoComplete="off"
              value={passphrase}
              onChange={(e) => setPassphrase(e.target.value)}
            />
          </div>
        </details>
        {busy && <p className="muted center">{t('firstRun.starting')}</p>}
      </div>
    </div>
  );
}
