// The archive as a CSV file, built in the browser from the same query as the page (every page
// of the current filters): one line per deposit, times in UTC ISO 8601 (unambiguous evidence).

export interface ArchiveRow {
  reference: string;
  title: string;
  status: string;
  kind: string;
  createdAt: string;
  sealedAt: string | null;
  address: { city: string } | null;
  items: readonly unknown[];
}

/** One CSV cell: quoted when needed; a leading = + - @ is neutralised (spreadsheet formulas). */
export function csvCell(value: string | number | null | undefined): string {
  let text = value == null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function archiveCsv(
  rows: readonly ArchiveRow[],
  headers: readonly string[],
  statusLabel: (status: string) => string,
): string {
  const lines = [headers.map(csvCell).join(',')];
  for (const row of rows) {
    lines.push(
      [
        row.reference,
        row.title,
        statusLabel(row.status),
        row.kind,
        row.createdAt,
        row.sealedAt ?? '',
        row.address?.city ?? '',
        row.items.length,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  // A byte-order mark so that spreadsheets read the accents as UTF-8.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
