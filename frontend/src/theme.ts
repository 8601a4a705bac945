import { Combobox, createTheme } from '@mantine/core';

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
  },
});
