// Long jobs (components/Jobs.tsx shows them): `useJobs().start(…)` runs one with progress and Cancel,
// whatever screen the user moves to meanwhile.
import { createContext, useContext } from 'react';

import type { IpcError } from '../bindings/IpcError';
import type { JobEvent } from '../bindings/JobEvent';

export interface JobView {
  key: number;
  /** An i18n key naming the job. */
  label: string;
  /** The core's id, once the job has started (needed to cancel it). */
  id: number | null;
  done: number;
  total: number;
  /** The step's name as the core gives it ("Exchanges"). */
  step: string;
  cancelling: boolean;
}

export interface JobOutcome {
  outcome: 'done' | 'cancelled' | 'failed';
  error?: IpcError;
}

export interface JobsValue {
  jobs: JobView[];
  /** Starts a job: `run` invokes its command with the event listener given; resolves when it ends. */
  start: (label: string, run: (onEvent: (e: JobEvent) => void) => Promise<number>) => Promise<JobOutcome>;
  cancel: (key: number) => void;
}

export const JobsContext = createContext<JobsValue | null>(null);

export function useJobs(): JobsValue {
  const value = useContext(JobsContext);
  if (!value) throw new Error('useJobs outside JobsProvider');
  return value;
}

/**
 * Runs a job whose command first asks a native dialog (a file to write or read) and only then answers with the
 * job it started: the events that arrive before the jobs panel shows it wait, then reach it. Null when the
 * command answered null (the dialog was cancelled); else what it answered and how the job ended.
 */
export async function startAfterDialog<T extends { job: number }>(
  start: JobsValue['start'],
  label: string,
  begin: (onEvent: (e: JobEvent) => void) => Promise<T | null>,
): Promise<{ started: T; ended: JobOutcome } | null> {
  const early: JobEvent[] = [];
  let forward: ((e: JobEvent) => void) | null = null;
  const started = await begin((e) => {
    if (forward) forward(e);
    else early.push(e);
  });
  if (!started) return null;
  const ended = await start(label, (toPanel) => {
    forward = toPanel;
    early.splice(0).forEach(toPanel);
    return Promise.resolve(started.job);
  });
  return { started, ended };
}
