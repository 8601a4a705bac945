import { desktopBinding, type DesktopBinding } from './transports';
import { toApiError } from './errors';

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
