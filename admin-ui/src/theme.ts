import { createTheme, Notification } from '@mantine/core';

// Dark enough blues for WCAG AA contrast on white (axe checks every page).
// Built per language: a notification's close button is named in the viewer's language.
export function themeFor(closeLabel: string) {
  return createTheme({
    primaryColor: 'indigo',
    primaryShade: 8,
    fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
    defaultRadius: 'md',
    components: {
      Notification: Notification.extend({ defaultProps: { closeButtonProps: { 'aria-label': closeLabel } } }),
    },
  });
}
