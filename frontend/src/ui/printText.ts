/**
 * Prints a short text document (a title and lines) through the system's print
 * dialog, without the page around it: the document is written into a hidden
 * frame, which prints itself and is removed.
 */
export function printText(title: string, lines: string[]): void {
  const frame = document.createElement('iframe');
  frame.setAttribute('aria-hidden', 'true');
  frame.style.position = 'fixed';
  frame.style.width = '0';
  frame.style.height = '0';
  frame.style.border = '0';
  document.body.appendChild(frame);
  const doc = frame.contentDocument;
  const win = frame.contentWindow;
  if (!doc || !win) {
    frame.remove();
    return;
  }
  const h1 = doc.createElement('h1');
  h1.textContent = title;
  h1.style.font = '600 18px sans-serif';
  doc.body.appendChild(h1);
  for (const l of lines) {
    const p = doc.createElement('p');
    p.textContent = l;
    p.style.font = '14px monospace';
    doc.body.appendChild(p);
  }
  win.focus();
  win.print();
  setTimeout(() => frame.remove(), 1000);
}
