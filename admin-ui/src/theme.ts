import { createTheme } from '@mantine/core';

// Dark enough blues for WCAG AA contrast on white (axe checks every page).
export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: 8,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  defaultRadius: 'md',
});
