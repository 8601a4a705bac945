/** Offers a file produced by an operation to the user (browser and desktop webview). */
export function saveFile(filename: string, contentType: string, content: string): void {
  // Spreadsheets read a CSV file as UTF-8 only with a byte order mark; the
  // exports Atrium writes carry their own.
  const bom = contentType === 'text/csv' && !content.startsWith('\ufeff') ? '\ufeff' : '';
  const blob = new Blob([bom + content], { type: contentType });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
