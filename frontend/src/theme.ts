import { Combobox, createTheme, darken, luminance, mergeThemeOverrides, type CSSVariablesResolver, type MantineThemeOverride } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'md',
  fontFamily:
    'Inter, "Segoe UI", system-ui, -apple-system, "Helvetica Neue", "Liberation Sans", Arial, sans-serif',
  headings: { fontWeight: '650' },
  components: {
    Card: { defaultProps: { withBorder: true, radius: 'lg', padding: 'xl', shadow: 'xs' } },
    TextInput: { defaultProps: { size: 'md' } },
    PasswordInput: { defaultProps: { size: 'md' } },
    Select: { defaultProps: { size: 'md' } },
    NumberInput: { defaultProps: { size: 'md' } },
    Button: { defaultProps: { size: 'md' } },
    // Closed dropdowns (Select, MultiSelect) leave the page instead of staying
    // hidden in it: kept mounted, the first run's time-zone picker alone holds
    // ~420 hidden options, about 11 MB of the desktop's web view
    // (bench/desktop.sh). They mount again when opened.
    Combobox: Combobox.extend({ defaultProps: { keepMounted: false } }),
    // Opened, a menu focuses its first entry rather than an unnamed
    // placeholder that screen readers announce as an empty part of the menu.
    Menu: { defaultProps: { withInitialFocusPlaceholder: false } },
  },
});

/**
 * The theme with the words a screen reader says for Mantine's own buttons
 * that show only an icon (a dialog's ×, a chosen role's ×, a file's ×), in
 * the interface's language. A component may still name its own.
 */
export function spokenTheme(words: { close: string; dismiss: string; remove: string }): MantineThemeOverride {
  const close = { 'aria-label': words.close, title: words.close };
  return mergeThemeOverrides(theme, {
    components: {
      Modal: { defaultProps: { closeButtonProps: close } },
      Drawer: { defaultProps: { closeButtonProps: close } },
      Notification: { defaultProps: { closeButtonProps: { 'aria-label': words.dismiss, title: words.dismiss } } },
      Alert: { defaultProps: { closeButtonLabel: words.dismiss } },
      Pill: { defaultProps: { removeButtonProps: { 'aria-label': words.remove, title: words.remove } } },
      FileInput: { defaultProps: { clearButtonProps: { 'aria-label': words.remove, title: words.remove } } },
    },
  });
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/**
 * `color`, darkened by the least that makes it read on `background` at the
 * ratio WCAG AA asks of body text (4.5:1, with a little margin).
 */
export function readable(color: string, background: string, ratio = 4.55): string {
  for (let step = 0; step <= 20; step++) {
    const c = step ? darken(color, step * 0.05) : color;
    if (contrast(c, background) >= ratio) return c;
  }
  return '#000';
}

/**
 * Mantine's light scheme writes several colours below AA: grey "dimmed" text,
 * white on the primary and red buttons, the text of light badges and of the
 * menu's hovered entry. Each palette keeps its hue: the filled shade is the
 * first from 6 that holds white text, and text shades are darkened until they
 * read on the palest background they sit on (grey 1, or the palette's own
 * light hover).
 */
export const readableColors: CSSVariablesResolver = (t) => {
  const light: Record<string, string> = {};
  const page = t.colors.gray[1];
  for (const [name, p] of Object.entries(t.colors)) {
    const filled = p.slice(6).find((c) => contrast('#ffffff', c) >= 4.55) ?? readable(p[9], '#ffffff');
    light[`--mantine-color-${name}-filled`] = filled;
    light[`--mantine-color-${name}-filled-hover`] = darken(filled, 0.1);
    light[`--mantine-color-${name}-outline`] = filled;
    light[`--mantine-color-${name}-text`] = readable(filled, page);
    light[`--mantine-color-${name}-light-color`] = readable(p[9], p[2]);
  }
  light['--mantine-color-dimmed'] = readable(t.colors.gray[6], page);
  // A placeholder says what to type ("jj/mm/aaaa"): it must be read too.
  light['--mantine-color-placeholder'] = readable(t.colors.gray[5], '#ffffff');
  light['--mantine-color-anchor'] = light[`--mantine-color-${t.primaryColor}-text`];
  light['--mantine-color-error'] = light['--mantine-color-red-text'];
  return { variables: {}, light, dark: {} };
};
