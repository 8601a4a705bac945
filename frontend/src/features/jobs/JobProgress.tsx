import { Progress, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { exportFile, type ExportOp, type SavedTo } from '../../api/files';
import { jobShown, useJob, type JobName, type JobRun } from '../../api/jobs';
import { useTabOrg } from '../../api/org';
import type { ExportFile, Operations } from '../../api/types.gen';
import { errorMessage } from '../../i18n/errors';
import { formatSize } from '../backups/format';

/** What a running job says: its name and its count, in plain words ("Export des membres : 1 200 / 5 000 lignes"). */
export function jobText(t: TFunction, lang: string, run: JobRun): string {
  const job = t(`jobs.names.${run.name}`);
  const p = run.progress;
  if (!p || (p.total === 0 && p.done === 0)) return t('jobs.preparing', { job });
  if (p.unit === 'bytes') {
    if (p.total > 0 && p.done >= p.total) return t('jobs.checking', { job });
    return t('jobs.bytes', { job, done: formatSize(p.done, lang), total: formatSize(Math.max(p.total, p.done), lang) });
  }
  if (p.unit === 'sections') {
    if (p.total > 0 && p.done >= p.total) return t('jobs.sectionsWriting', { job });
    return t('jobs.sections', { job, done: p.done, total: Math.max(p.total, p.done) });
  }
  if (p.total === 0) return t('jobs.rowsSoFar', { job, done: p.done, count: p.done });
  if (p.done >= p.total) return t('jobs.writingFile', { job, total: p.total });
  return t('jobs.rows', { job, done: p.done, total: p.total, count: p.total });
}

/**
 * The bar of a running job, with its count, and that the person may go
 * elsewhere meanwhile. Shown, it also tells the job that a screen follows
 * it: a job that ends with none in sight says so in a notification.
 */
export function JobProgress({ name, hint = true }: { name: JobName; hint?: boolean }) {
  const { t, i18n } = useTranslation();
  const run = useJob(name);
  if (run?.state !== 'running') return null;
  const p = run.progress;
  const text = jobText(t, i18n.language, run);
  const known = !!p && p.total > 0;
  const value = known ? Math.min(100, (100 * p.done) / p.total) : 100;
  return (
    <Stack gap={6} data-testid="job-progress" data-job={name}>
      <Text size="sm" fw={500} aria-live="polite">
        {text}
      </Text>
      <Progress value={value} size="lg" striped animated={!known || p.done >= p.total} aria-label={text} />
      {hint && (
        <Text size="xs" c="dimmed">
          {t('jobs.background')}
        </Text>
      )}
    </Stack>
  );
}

/** Where the file went: the path the save dialog chose, the browser's downloads, or nowhere (cancelled). */
function savedText(t: TFunction, f: ExportFile, saved: SavedTo): string {
  if (saved.cancelled) return '';
  return saved.path ? t('jobs.savedIn', { path: saved.path }) : t('jobs.downloaded', { file: f.filename });
}

/**
 * An export as a job: `start` runs it in this tab's organization and saves
 * its file (save dialog or download); a failure goes to `onError` while its
 * page is shown, else to a notification, and an export that ends after the
 * person went elsewhere says so.
 */
export function useExport<K extends ExportOp>(op: K, input: () => Operations[K]['input'], onError?: (err: unknown) => void) {
  const { t } = useTranslation();
  const org = useTabOrg();
  const run = useJob(op);
  const job = t(`jobs.names.${op}`);
  // The button stays focusable while its export runs (aria-disabled): a
  // second click does nothing, the job running already.
  const start = () => {
    if (run?.state === 'running') return;
    exportFile(op, input(), {
      org,
      left: (f, saved) =>
        notifications.show({
          color: 'teal',
          autoClose: 10000,
          title: t('jobs.endedTitle'),
          // A file of lines says how many; another (a person's data) that it is done.
          message: [f.contentType === 'text/csv' ? t('jobs.exported', { job, count: f.rows }) : t('jobs.finished', { job }),
            savedText(t, f, saved)].join(' ').trim(),
        }),
    }).catch((err: unknown) => {
      if (onError && jobShown(op, org)) return onError(err);
      notifications.show({ color: 'red', title: t('jobs.failed', { job }), message: errorMessage(t, err) });
    });
  };
  return { start, running: run?.state === 'running' };
}
