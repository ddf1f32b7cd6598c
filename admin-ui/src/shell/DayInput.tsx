// A day typed as the viewer writes it (jj/mm/aaaa in French, dd/mm/yyyy in English), whatever
// the browser's own language: a native date input shows mm/dd/yyyy in an English Chromium.
import { TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** `dd/mm/yyyy` (also `d/m/yyyy`, `.` or `-` as separators) → `YYYY-MM-DD`; '' → null; else 'invalid'. */
export function parseDay(text: string): string | null | 'invalid' {
  const value = text.trim();
  if (!value) return null;
  const match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(value);
  if (!match) return 'invalid';
  const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return 'invalid';
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** `YYYY-MM-DD` → `dd/mm/yyyy` (anything else shown as is). */
export function showDay(iso: string | null | undefined): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? '');
  return match ? `${match[3]}/${match[2]}/${match[1]}` : (iso ?? '');
}

export function DayInput({
  label,
  value,
  onChange,
  required,
  testId,
}: {
  label: string;
  value: string | null;
  onChange: (day: string | null) => void;
  required?: boolean;
  testId?: string;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState(showDay(value));
  const [invalid, setInvalid] = useState(false);
  useEffect(() => setText(showDay(value)), [value]);

  function commit() {
    const day = parseDay(text);
    setInvalid(day === 'invalid');
    if (day !== 'invalid' && day !== (value || null)) onChange(day);
  }

  return (
    <TextInput
      label={label}
      value={text}
      required={required}
      inputMode="numeric"
      autoComplete="off"
      placeholder={t('common.dayPlaceholder')}
      error={invalid ? t('common.dayInvalid') : undefined}
      onChange={(e) => setText(e.currentTarget.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
      }}
      data-testid={testId}
    />
  );
}
