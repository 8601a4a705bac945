import { desktopBinding, type DesktopBinding } from './transports';
import { toApiError } from './errors';
import { call } from './client';
import { runJob } from './jobs';
import type { ExportFile, Operations } from './types.gen';

/** A file an operation produced for the person to keep (a CSV export, the history's chain head). */
export interface FileToSave {
  filename: string;
  contentType: string;
  content: string;
}

/** Where the file went: the path the desktop wrote, none in the browser, or cancelled in the save dialog. */
export interface SavedTo {
  cancelled: boolean;
  path?: string;
}

/**
 * The one way the console offers a file: through the system's save dialog in
 * the desktop (the Go side shows it and writes the file), a download in the
 * browser. Every export goes through here.
 */
export function saveFile(file: FileToSave): Promise<SavedTo> {
  const binding = desktopBinding();
  return binding?.SaveFile ? desktopSave(binding, file) : Promise.resolve(browserDownload(file));
}

/** Desktop: the native save dialog, written by Go; rejects like an operation. */
export async function desktopSave(binding: DesktopBinding, file: FileToSave): Promise<SavedTo> {
  try {
    const path = await binding.SaveFile!(file.filename, file.contentType, file.content);
    return path ? { cancelled: false, path } : { cancelled: true };
  } catch (err) {
    throw toApiError(err);
  }
}

/** Browser: a download of the file under its name. */
export function browserDownload(file: FileToSave): SavedTo {
  // Spreadsheets read a CSV file as UTF-8 only with a byte order mark; the
  // exports Atrium writes carry their own.
  const bom = file.contentType === 'text/csv' && !file.content.startsWith('\ufeff') ? '\ufeff' : '';
  const blob = new Blob([bom + file.content], { type: file.contentType });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = file.filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  return { cancelled: false };
}

/** The operations that make a file to save, each one a job the console follows (jobs.ts). */
export type ExportOp = 'members.export' | 'history.export' | 'account.exportData';

/**
 * An export: the operation runs as a job (its count read meanwhile, the
 * page free to be left), and its file is then saved by saveFile, the save
 * dialog in the desktop, a download in the browser. `left` is told when it
 * ends after the person went elsewhere. Null when this export already runs.
 */
export function exportFile<K extends ExportOp>(
  op: K,
  input: Operations[K]['input'],
  options: { org: string; left?: (file: ExportFile, saved: SavedTo) => void },
): Promise<ExportFile | null> {
  let saved: SavedTo = { cancelled: false };
  return runJob(op, options.org, () => call(op, input, { org: options.org }), {
    then: async (f) => void (saved = await saveFile(f)),
    left: (f) => options.left?.(f, saved),
  });
}
