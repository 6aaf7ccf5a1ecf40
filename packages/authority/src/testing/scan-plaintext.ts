import { type Kysely, sql } from 'kysely';

/** Column types that can hold a copied string: text-like, JSON (scanned as its text), and bytes. */
const TEXT_TYPES = new Set(['text', 'character varying', 'character', 'json', 'jsonb', 'name']);

/**
 * Guarantee 4, checked generically: every text, JSON and bytea column of every table in the current
 * schema is searched for each needle (bytea as the needle's UTF-8 bytes). Returns
 * `table.column: needle` for each hit, so an empty array means no plaintext copy anywhere — including
 * in tables added after this helper was written.
 */
export async function findPlaintext<DB>(db: Kysely<DB>, needles: readonly string[]): Promise<string[]> {
  const columns = await sql<{ table_name: string; column_name: string; data_type: string }>`
    SELECT c.table_name, c.column_name, c.data_type
      FROM information_schema.columns c
      JOIN information_schema.tables t
        ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
     ORDER BY c.table_name, c.column_name`.execute(db);
  const hits: string[] = [];
  for (const { table_name: table, column_name: column, data_type: type } of columns.rows) {
    const isText = TEXT_TYPES.has(type);
    if (!isText && type !== 'bytea') continue;
    for (const needle of needles) {
      if (needle.length === 0) throw new Error('findPlaintext: an empty needle matches everything');
      const haystack = isText ? sql`${sql.ref(column)}::text` : sql.ref(column);
      const value = isText ? needle : Buffer.from(needle, 'utf8');
      const found = await sql<{ hit: number }>`
        SELECT 1 AS hit FROM ${sql.table(table)}
         WHERE position(${value} IN ${haystack}) > 0 LIMIT 1`.execute(db);
      if (found.rows.length > 0) hits.push(`${table}.${column}: ${needle}`);
    }
  }
  return hits;
}
