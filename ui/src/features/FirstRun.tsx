import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { StartChoice } from '../bindings/StartChoice';
import { ErrorBanner } from '../components/Feedback';
import { LangSwitch, ThemeSwitch } from '../components/Header';
import { IconFile, IconSparkle } from '../components/icons';
import { useJobs } from '../hooks/useJobs';
import { useToast } from '../hooks/useToast';
import { api, toIpcError } from '../ipc';
import { toInt } from '../lib/format';
import { useTheme } from '../lib/theme';

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
            disabled={start.isPending}
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
            disabled={start.isPending}
            onClick={() => start.mutate('empty')}
          >
            <IconFile className="choice-icon" />
            <span className="choice-title">{t('firstRun.emptyTitle')}</span>
            <span className="choice-text">{t('firstRun.emptyText')}</span>
          </button>
        </div>
        {start.isPending && <p className="muted center">{t('firstRun.starting')}</p>}
      </div>
    </div>
  );
}
