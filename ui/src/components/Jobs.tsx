import { useCallback, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import type { JobEvent } from '../bindings/JobEvent';
import { JobsContext, type JobOutcome, type JobView } from '../hooks/useJobs';
import { api, toIpcError } from '../ipc';
import { formatNumber } from '../lib/format';

/** Holds the running jobs and shows them in a panel at the bottom right, each with its progress and Cancel. */
export function JobsProvider({ children }: { children: ReactNode }) {
  const [jobs, setJobs] = useState<JobView[]>([]);
  const nextKey = useRef(1);

  const update = useCallback((key: number, change: Partial<JobView>) => {
    setJobs((list) => list.map((j) => (j.key === key ? { ...j, ...change } : j)));
  }, []);

  const start = useCallback(
    (label: string, run: (onEvent: (e: JobEvent) => void) => Promise<number>) => {
      const key = nextKey.current++;
      setJobs((list) => [...list, { key, label, id: null, done: 0, total: 0, step: '', cancelling: false }]);
      return new Promise<JobOutcome>((resolve) => {
        const end = (outcome: JobOutcome) => {
          setJobs((list) => list.filter((j) => j.key !== key));
          resolve(outcome);
        };
        run((e) => {
          if (e.event === 'progress') update(key, { done: e.done, total: e.total, step: e.step });
          else if (e.event === 'done') end({ outcome: 'done' });
          else if (e.event === 'cancelled') end({ outcome: 'cancelled' });
          else end({ outcome: 'failed', error: e.error });
        }).then(
          (id) => update(key, { id }),
          (error: unknown) => end({ outcome: 'failed', error: toIpcError(error) }),
        );
      });
    },
    [update],
  );

  const cancel = useCallback(
    (key: number) => {
      const job = jobs.find((j) => j.key === key);
      if (!job || job.id === null) return;
      update(key, { cancelling: true });
      void api.jobCancel(job.id);
    },
    [jobs, update],
  );

  const value = useMemo(() => ({ jobs, start, cancel }), [jobs, start, cancel]);
  return (
    <JobsContext.Provider value={value}>
      {children}
      <JobsPanel jobs={jobs} cancel={cancel} />
    </JobsContext.Provider>
  );
}

function JobsPanel({ jobs, cancel }: { jobs: JobView[]; cancel: (key: number) => void }) {
  const { t, i18n } = useTranslation();
  if (jobs.length === 0) return null;
  return (
    <section className="jobs" aria-label={t('jobs.label')} data-testid="jobs">
      {jobs.map((job) => {
        const percent = job.total > 0 ? Math.floor((job.done / job.total) * 100) : null;
        return (
          <div key={job.key} className="job" data-testid="job">
            <div className="job-head">
              <span className="job-title">{t(job.label)}</span>
              <button
                type="button"
                className="btn btn-small"
                data-testid="job-cancel"
                disabled={job.id === null || job.cancelling}
                onClick={() => cancel(job.key)}
              >
                {job.cancelling ? t('jobs.cancelling') : t('common.cancel')}
              </button>
            </div>
            <progress
              className="job-bar"
              max={job.total || 1}
              value={job.total ? job.done : undefined}
              aria-valuetext={percent === null ? t('jobs.starting') : `${percent} %`}
            />
            <p className="job-detail" data-testid="job-detail" aria-live="polite">
              {job.total > 0
                ? t('jobs.progress', {
                    step: t(`jobs.steps.${job.step}`, { defaultValue: job.step }),
                    done: formatNumber(job.done, i18n.language),
                    total: formatNumber(job.total, i18n.language),
                  })
                : t('jobs.starting')}
            </p>
          </div>
        );
      })}
    </section>
  );
}
