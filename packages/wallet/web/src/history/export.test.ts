import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../vault/contents.ts';
import { CSV_COLUMNS, csvField, historyCsv, historyJson } from './export.ts';

const entry = (over: Partial<HistoryEntry> = {}): HistoryEntry => ({
  id: 'e1',
  at: '2025-07-15T08:30:00.000Z',
  kind: 'signin',
  platform: { clientId: 'forum', kind: 'internet', name: { zh: '示例论坛', en: 'Sample forum' } },
  requested: ['age_over_18', 'name'],
  disclosed: ['age_over_18'],
  mode: 'cert+password',
  result: 'approved',
  ...over,
});

/** A minimal RFC 4180 reader, so the tests check what a spreadsheet would read back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

describe('history CSV', () => {
  it('has the header in the documented column order', () => {
    const [header] = historyCsv([]).split('\r\n');
    expect(header).toBe(
      'at,platform_client_id,platform_name_zh,platform_name_en,kind,result,mode,requested,disclosed,reason',
    );
    expect(CSV_COLUMNS).toHaveLength(10);
  });

  it('puts each field in its column, arrays joined with semicolons, CRLF line ends', () => {
    const csv = historyCsv([
      entry(),
      entry({ id: 'e2', result: 'refused', disclosed: [], reason: 'wrong_password' }),
    ]);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n')[1]).toBe(
      '2025-07-15T08:30:00.000Z,forum,示例论坛,Sample forum,signin,approved,cert+password,age_over_18;name,age_over_18,',
    );
    const rows = parseCsv(csv);
    expect(rows).toHaveLength(3);
    const second = Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, rows[2]![i]]));
    expect(second).toMatchObject({
      result: 'refused',
      disclosed: '',
      reason: 'wrong_password',
      requested: 'age_over_18;name',
    });
  });

  it('quotes commas, quotes and line breaks so they read back unchanged', () => {
    const awkward = 'A "quoted", multi\nline\r\nname';
    const csv = historyCsv([
      entry({ platform: { clientId: 'x', kind: 'government', name: { zh: '甲,乙', en: awkward } } }),
    ]);
    expect(csv).toContain('"甲,乙"');
    expect(csv).toContain('"A ""quoted"", multi\nline\r\nname"');
    const rows = parseCsv(csv);
    expect(rows).toHaveLength(2);
    expect(rows[1]![2]).toBe('甲,乙');
    expect(rows[1]![3]).toBe(awkward);
    expect(rows[1]).toHaveLength(CSV_COLUMNS.length);
  });

  it('leaves plain fields bare and defuses what a spreadsheet would run as a formula', () => {
    expect(csvField('plain text')).toBe('plain text');
    expect(csvField('')).toBe('');
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
  });
});

describe('history JSON', () => {
  it('is the entries as the wallet keeps them', () => {
    const entries = [entry(), entry({ id: 'e2', kind: 'onsite', result: 'declined', disclosed: [] })];
    expect(JSON.parse(historyJson(entries))).toEqual(entries);
    expect(JSON.parse(historyJson([]))).toEqual([]);
  });
});
