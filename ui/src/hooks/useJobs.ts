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
