import type { HistoryEntry } from '../vault/contents.ts';

/** The CSV columns, in this order: a spreadsheet or a script can rely on them. */
export const CSV_COLUMNS = [
  'at',
  'platform_client_id',
  'platform_name_zh',
  'platform_name_en',
  'kind',
  'result',
  'mode',
  'requested',
  'disclosed',
  'reason',
] as const;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes doubled.
 * A field a spreadsheet would run as a formula (platform names come from the operator's registry,
 * not from the holder) gets a leading apostrophe, so opening the export never executes anything.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function csvRow(entry: HistoryEntry): string[] {
  return [
    entry.at,
    entry.platform.clientId,
    entry.platform.name.zh,
    entry.platform.name.en,
    entry.kind,
    entry.result,
    entry.mode,
    entry.requested.join(';'),
    entry.disclosed.join(';'),
    entry.reason ?? '',
  ];
}

/** The entries as CSV: a header line, one line per entry, CRLF line ends as RFC 4180 has them. */
export function historyCsv(entries: readonly HistoryEntry[]): string {
  const lines = [CSV_COLUMNS as readonly string[], ...entries.map(csvRow)];
  return `${lines.map((fields) => fields.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/** The entries as JSON: exactly what the wallet keeps, field names and all. */
export function historyJson(entries: readonly HistoryEntry[]): string {
  return `${JSON.stringify(entries, null, 2)}\n`;
}
