import { useEffect, useState } from 'react';

/**
 * For a dialog that is on the page only while shown (`<Modal opened>` under a
 * condition): Mantine gives the focus back to what opened a dialog when its
 * `opened` turns false, never when the dialog simply leaves the page, so a
 * keyboard user would be left at the top of the page. This one gives it back
 * then, unless the focus already went somewhere on purpose.
 */
export function useFocusBackOnClose() {
  // Read while rendering, before the dialog takes the focus.
  const [opener] = useState(() => (typeof document === 'undefined' ? null : (document.activeElement as HTMLElement | null)));
  useEffect(
    () => () => {
      // After the dialog's own elements have left the page.
      setTimeout(() => {
        const now = document.activeElement;
        if (opener?.isConnected && opener !== document.body && (!now || now === document.body)) opener.focus({ preventScroll: true });
      }, 0);
    },
    [opener],
  );
}
