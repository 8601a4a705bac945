/**
 * Puts the keyboard focus on the first field in error, in the order the
 * fields appear, and scrolls it into view: in a long dialog the error may sit
 * out of sight while the button seems to do nothing. A field of an open
 * dialog wins over one of the page behind it.
 */
export function focusFirstError(errors: Record<string, unknown>): void {
  const paths = Object.keys(errors);
  if (!paths.length) return;
  const dialogs = document.querySelectorAll('[role="dialog"]');
  const scope: ParentNode = dialogs.length ? dialogs[dialogs.length - 1] : document;
  const fields = paths
    .map((p) => scope.querySelector<HTMLElement>(`[data-path="${CSS.escape(p)}"]`))
    .filter((el): el is HTMLElement => el !== null)
    .sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
  const first = fields[0];
  if (!first) return;
  first.scrollIntoView?.({ block: 'center' });
  first.focus({ preventScroll: true });
}
