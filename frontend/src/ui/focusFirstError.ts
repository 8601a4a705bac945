/** After a failed client-side check, put the keyboard focus on the first field in error. */
export function focusFirstError(errors: Record<string, unknown>): void {
  const first = Object.keys(errors)[0];
  if (!first) return;
  const el = document.querySelector<HTMLElement>(`[data-path="${CSS.escape(first)}"]`);
  el?.focus();
}
