// Dates in the viewer's time zone, with the zone named (a deposit's times are evidence).

export function viewerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** "2 déc. 2026, 14:05:09 UTC+1 (Europe/Paris)". */
export function formatDateTime(iso: string | null | undefined, language: string, timeZone = viewerTimeZone()): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const text = new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'fr-FR', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZone,
    timeZoneName: 'shortOffset',
  }).format(date);
  return `${text} (${timeZone})`;
}

/** A short date for tables, its zone named: "2 déc. 2026, 14:05 UTC+1". */
export function formatShort(iso: string | null | undefined, language: string, timeZone = viewerTimeZone()): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'fr-FR', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'shortOffset',
  }).format(new Date(iso));
}

/** Euros from cents, in the viewer's language. */
export function formatEuros(cents: number, language: string): string {
  return new Intl.NumberFormat(language === 'en' ? 'en-GB' : 'fr-FR', { style: 'currency', currency: 'EUR' }).format(
    cents / 100,
  );
}

/** The start of a day (`YYYY-MM-DD`) in the viewer's zone, or of the next one (`end`), as ISO. */
export function dayBound(value: string | null, end = false): string | null {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const date = new Date(`${value}T00:00:00`);
  if (end) date.setDate(date.getDate() + 1);
  return date.toISOString();
}
