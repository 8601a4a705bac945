import { useEffect, useSyncExternalStore } from 'react';
import { call } from './client';
import { toApiError, type ApiError } from './errors';
import { useTabOrg } from './org';
import type { JobProgress } from './types.gen';

/**
 * Long work the console follows (the backend's jobs, jobs.go): an export, a
 * backup, a restore. The call that does the work runs here, outside any
 * screen, so the person may leave the page while it runs and come back to
 * it still running; its count is read with jobs.progress meanwhile. When it
 * ends and no screen shows it any more, `left` says so (a notification).
 */
export type JobName = 'members.export' | 'history.export' | 'account.exportData' | 'backups.create' | 'backups.export' | 'backups.restore';

export interface JobRun {
  name: JobName;
  org: string;
  state: 'running' | 'done' | 'failed';
  /** The backend's count, once read (none before its first answer). */
  progress?: JobProgress;
  error?: ApiError;
}

/** How often a running job's count is read. */
export const JOB_POLL_MS = 500;

const runs = new Map<string, JobRun>();
const shown = new Map<string, number>(); // how many screens show each job
const listeners = new Set<() => void>();
// A backup is the desktop's, not one dossier's: the same whatever the tab shows.
const keyOf = (name: JobName, org: string) => `${name}\u0000${name.startsWith('backups.') ? '' : org}`;

function set(run: JobRun) {
  runs.set(keyOf(run.name, run.org), run);
  listeners.forEach((l) => l());
}

function subscribe(l: () => void) {
  listeners.add(l);
  return () => void listeners.delete(l);
}

/** Whether a screen shows this job now. */
export function jobShown(name: JobName, org: string): boolean {
  return (shown.get(keyOf(name, org)) ?? 0) > 0;
}

export interface RunJobOptions<T> {
  /**
   * After the work, still counted as running (a file offered through the
   * save dialog or downloaded): the job ends when this does.
   */
  then?: (out: T) => unknown;
  /**
   * Told when the job has ended well and no screen shows it: the person
   * went elsewhere (a failure rejects, for the caller to say wherever).
   */
  left?: (out: T) => void;
}

/**
 * Runs work as the job `name` in organization `org`, reading its count
 * until it ends. One job of a name runs at a time in an organization: a
 * second start while it runs returns null and does nothing.
 */
export async function runJob<T>(name: JobName, org: string, work: () => Promise<T>, options: RunJobOptions<T> = {}): Promise<T | null> {
  const key = keyOf(name, org);
  if (runs.get(key)?.state === 'running') return null;
  set({ name, org, state: 'running' });
  let running = true;
  const poll = async () => {
    while (running) {
      await new Promise((r) => setTimeout(r, JOB_POLL_MS));
      if (!running) break;
      try {
        const p = await call('jobs.progress', { name }, { org });
        const cur = runs.get(key);
        if (running && cur?.state === 'running' && p.state === 'running') set({ ...cur, progress: p });
      } catch {
        /* a reading missed: the next one will do */
      }
    }
  };
  void poll();
  try {
    const out = await work();
    await options.then?.(out);
    running = false;
    const cur = runs.get(key)!;
    const total = cur.progress?.total ?? 0;
    const ended: JobRun = { ...cur, state: 'done', progress: cur.progress && { ...cur.progress, state: 'done', done: total } };
    set(ended);
    if (!jobShown(name, org)) options.left?.(out);
    return out;
  } catch (err) {
    running = false;
    const failed: JobRun = { ...runs.get(key)!, state: 'failed', error: toApiError(err) };
    set(failed);
    throw failed.error;
  }
}

/** The job `name` in this tab's organization, as it runs or as it ended; the screen that reads it shows it. */
export function useJob(name: JobName): JobRun | undefined {
  const org = useTabOrg();
  const key = keyOf(name, org);
  useEffect(() => {
    shown.set(key, (shown.get(key) ?? 0) + 1);
    return () => void shown.set(key, (shown.get(key) ?? 1) - 1);
  }, [key]);
  return useSyncExternalStore(subscribe, () => runs.get(key));
}

/** Forgets every job (between component tests). */
export function resetJobs(): void {
  runs.clear();
  shown.clear();
  listeners.forEach((l) => l());
}
