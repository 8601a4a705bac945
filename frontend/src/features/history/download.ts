/** Offers a file produced by an operation to the user (browser and desktop webview). */
export function saveFile(filename: string, contentType: string, content: string): void {
  const blob = new Blob([contentType === 'text/csv' ? '\ufeff' + content : content], { type: contentType });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
