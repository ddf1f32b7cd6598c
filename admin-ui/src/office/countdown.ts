// The 24 h review deadline as a person reads it: time left, or how late it is.
import { useEffect, useState } from 'react';

/** "3 h 05" / "12 min" from milliseconds (absolute value). */
export function duration(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const hours = Math.floor(minutes / 60);
  if (hours === 0) return `${minutes} min`;
  return `${hours} h ${String(minutes % 60).padStart(2, '0')}`;
}

/** The current time, moving every 30 seconds (enough for a countdown shown in minutes). */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 30_000);
    return () => window.clearInterval(timer);
  }, []);
  return now;
}

/** A submission's global ID from the e-mailed link's bare UUID (or the ID itself). */
export function submissionId(value: string): string {
  return /^[0-9a-f-]{36}$/i.test(value) ? btoa(`Submission:${value}`) : value;
}

/** "2 déc. 2026, 14:05:09 UTC+1 (Europe/Paris)": a time as evidence, its zone named. */
export function formatInstant(iso: string | null | undefined, language: string): string {
  if (!iso) return '—';
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const text = new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'fr-FR', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZone,
    timeZoneName: 'shortOffset',
  }).format(new Date(iso));
  return `${text} (${timeZone})`;
}
