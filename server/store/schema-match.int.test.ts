/**
 * The migrated database must be exactly what prisma/schema.prisma describes, on PostgreSQL and on
 * PGlite: tables, columns (type, nullability, default), primary keys and indexes. Prisma's own
 * DMMF needs @prisma/internals (not installed; the CLI bundles it unexported), so a small parser
 * reads the subset of the schema language we use and refuses anything else, rather than pass
 * over what it does not understand.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../project-root';
import type { Db } from './db';
import { FLOW_COPY_COLUMNS } from './flow-row';
import { openTestPglite, withTestSchema, type TestDb } from './test-db';

interface ColumnShape { type: string; nullable: boolean; default: string | null; precision: number | null }
interface IndexShape { columns: string[]; unique: boolean; primary: boolean }
interface TableShape { columns: Record<string, ColumnShape>; indexes: Record<string, IndexShape> }
type SchemaShape = Record<string, TableShape>;

const SCALARS: Record<string, string> = { String: 'text', Int: 'int4', BigInt: 'int8', Boolean: 'bool', DateTime: 'timestamp', Float: 'float8' };
const NATIVE: Record<string, string> = { SmallInt: 'int2', Inet: 'inet', Timestamptz: 'timestamptz', Text: 'text', Integer: 'int4', BigInt: 'int8' };

/** One canonical spelling for a default on either side: `''::text` and `""` are both ``. */
function canonicalDefault(expr: string | null): string | null {
  if (expr === null) return null;
  const e = expr.trim();
  if (/^nextval\(/i.test(e) || e === 'autoincrement()') return 'autoincrement()';
  if (/^(now\(\)|CURRENT_TIMESTAMP)$/i.test(e)) return 'now()';
  const quoted = /^'((?:[^']|'')*)'(::[\w ]+)?$/.exec(e) ?? /^"((?:[^"\\]|\\.)*)"$/.exec(e);
  return quoted ? quoted[1].replace(/''/g, "'") : e.replace(/::[\w ]+$/, '');
}

function stripComments(text: string): string {
  return text.replace(/("(?:[^"\\]|\\.)*")|\/\/.*$/gm, (_m, quoted: string | undefined) => quoted ?? '');
}

function names(list: string): string[] {
  return list.split(',').map((s) => s.trim()).filter(Boolean);
}

function parseField(model: string, line: string, dbName: (field: string) => string): ColumnShape & { name: string; id: boolean } {
  const m = /^(\w+)\s+(\w+)(\[\]|\?)?\s*(.*)$/.exec(line);
  if (!m || !SCALARS[m[2]]) throw new Error(`schema-match: cannot read ${model}: "${line}"`);
  const [, field, type, modifier, rest] = m;
  let base = SCALARS[type];
  let precision: number | null = type === 'DateTime' ? 3 : null;
  let dflt: string | null = null;
  let id = false;
  for (const attr of rest.match(/@[\w.]+(\((?:[^()]|\([^()]*\))*\))?/g) ?? []) {
    const [, key, , arg] = /^@([\w.]+)(\((.*)\))?$/.exec(attr) ?? [];
    if (key === 'id') id = true;
    else if (key === 'map') continue; // read with the other @map names in parsePrismaSchema
    else if (key === 'default') dflt = canonicalDefault(arg);
    else if (key.startsWith('db.') && NATIVE[key.slice(3)]) {
      base = NATIVE[key.slice(3)];
      if (base === 'timestamptz') precision = arg ? Number(arg) : null;
    } else throw new Error(`schema-match: ${model}.${field}: unsupported attribute ${attr}`);
  }
  return { name: dbName(field), id, type: modifier === '[]' ? `_${base}` : base, nullable: modifier !== undefined, default: dflt, precision };
}

/** The tables schema.prisma describes, named and shaped as Prisma's migrate would create them. */
function parsePrismaSchema(text: string): SchemaShape {
  const shape: SchemaShape = {};
  const source = stripComments(text);
  if (/^\s*(enum|type|view)\s/m.test(source)) throw new Error('schema-match: enums, types and views are not supported yet');
  for (const [, model, body] of source.matchAll(/^model\s+(\w+)\s*\{([^}]*)\}/gm)) {
    const lines = body.split('\n').map((l) => l.trim()).filter(Boolean);
    const fieldMaps = new Map(lines.flatMap((l) => {
      const m = /^(\w+)\s.*@map\("([^"]+)"\)/.exec(l);
      return m && !l.startsWith('@@') ? [[m[1], m[2]] as const] : [];
    }));
    const dbName = (f: string) => fieldMaps.get(f) ?? f;
    const table = /@@map\("([^"]+)"\)/.exec(body)?.[1] ?? model;
    const t: TableShape = { columns: {}, indexes: {} };
    for (const line of lines) {
      const block = /^@@(\w+)\((?:\[([^\]]*)\])?(?:\s*,\s*map:\s*"([^"]+)")?.*\)$/.exec(line);
      if (block) {
        const [, kind, list = '', map] = block;
        const cols = names(list).map(dbName);
        if (kind === 'id') t.indexes[map ?? `${table}_pkey`] = { columns: cols, unique: true, primary: true };
        else if (kind === 'index') t.indexes[map ?? `${table}_${cols.join('_')}_idx`] = { columns: cols, unique: false, primary: false };
        else if (kind !== 'map') throw new Error(`schema-match: ${model}: unsupported ${line}`);
        continue;
      }
      const { name, id, ...column } = parseField(model, line, dbName);
      t.columns[name] = column;
      if (id) t.indexes[`${table}_pkey`] = { columns: [name], unique: true, primary: true };
    }
    for (const idx of Object.values(t.indexes)) if (idx.primary) for (const c of idx.columns) t.columns[c].nullable = false;
    shape[table] = t;
  }
  return shape;
}

/** The same shape read from the database's catalog (current schema, partitions and bookkeeping left out). */
async function readDatabaseShape(db: Db): Promise<SchemaShape> {
  const tables = `c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r','p') AND NOT c.relispartition AND c.relname <> '_prisma_migrations'`;
  const columns = await db.query<{ tbl: string; col: string; type: string; nullable: boolean; typmod: number; dflt: string | null }>(
    `SELECT c.relname AS tbl, a.attname AS col, t.typname AS type, NOT a.attnotnull AS nullable, a.atttypmod AS typmod,
            pg_get_expr(d.adbin, d.adrelid) AS dflt
     FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
     WHERE ${tables}`,
  );
  const indexes = await db.query<{ tbl: string; name: string; cols: string; uniq: boolean; pk: boolean }>(
    `SELECT c.relname AS tbl, i.relname AS name, x.indisunique AS uniq, x.indisprimary AS pk,
            (SELECT string_agg(a.attname::text, ',' ORDER BY k.ord) FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(num, ord)
             JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.num) AS cols
     FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid WHERE ${tables}`,
  );
  const shape: SchemaShape = {};
  const table = (name: string) => (shape[name] ??= { columns: {}, indexes: {} });
  for (const r of columns) {
    const timestamp = r.type === 'timestamp' || r.type === 'timestamptz';
    const precision = timestamp && r.typmod >= 0 ? r.typmod : null;
    table(r.tbl).columns[r.col] = { type: r.type, nullable: r.nullable, default: canonicalDefault(r.dflt), precision };
  }
  for (const r of indexes) table(r.tbl).indexes[r.name] = { columns: r.cols.split(','), unique: r.uniq, primary: r.pk };
  return shape;
}

function diffKeys<T>(what: (name: string) => string, expected: Record<string, T>, actual: Record<string, T>, inner: (name: string, e: T, a: T) => string[]): string[] {
  const out: string[] = [];
  for (const name of Object.keys(expected)) {
    if (!(name in actual)) out.push(`${what(name)}: in schema.prisma, not in the database`);
    else out.push(...inner(name, expected[name], actual[name]));
  }
  for (const name of Object.keys(actual)) if (!(name in expected)) out.push(`${what(name)}: in the database, not in schema.prisma`);
  return out;
}

function diffFields(what: string, e: object, a: object): string[] {
  return Object.entries(e).flatMap(([key, value]) => {
    const other = (a as Record<string, unknown>)[key];
    return JSON.stringify(value) === JSON.stringify(other) ? [] : [`${what} ${key}: schema.prisma ${JSON.stringify(value)}, database ${JSON.stringify(other)}`];
  });
}

/** Every difference between two shapes, one line each; empty when they match. */
function compareShapes(expected: SchemaShape, actual: SchemaShape): string[] {
  return diffKeys((t) => `table ${t}`, expected, actual, (table, e, a) => [
    ...diffKeys((c) => `column ${table}.${c}`, e.columns, a.columns, (col, ec, ac) => diffFields(`${table}.${col}`, ec, ac)),
    ...diffKeys((i) => `index ${table}.${i}`, e.indexes, a.indexes, (idx, ei, ai) => diffFields(`${table} index ${idx}`, ei, ai)),
  ]);
}

const schemaText = readFileSync(join(projectRoot, 'prisma', 'schema.prisma'), 'utf8');

describe('the schema comparison', () => {
  const expected = parsePrismaSchema(schemaText);

  it('reads every model of schema.prisma', () => {
    expect(Object.keys(expected).sort()).toEqual(['collector_state', 'edge_hour', 'edge_minute', 'flows', 'gaps', 'investigation_flows', 'investigations', 'node_events', 'relay_status']);
    expect(expected.flows.columns.src_labels).toEqual({ type: '_text', nullable: true, default: null, precision: null });
    expect(expected.flows.columns.verdict).toEqual({ type: 'int2', nullable: false, default: '0', precision: null });
    expect(expected.flows.columns.time).toEqual({ type: 'timestamptz', nullable: false, default: null, precision: 6 });
    expect(expected.gaps.columns.id.default).toBe('autoincrement()');
    expect(expected.flows.indexes).toEqual({
      flows_pkey: { columns: ['time', 'flow_key'], unique: true, primary: true },
      flows_verdict_time_idx: { columns: ['verdict', 'time'], unique: false, primary: false },
      flows_src_namespace_time_idx: { columns: ['src_namespace', 'time'], unique: false, primary: false },
      flows_dst_namespace_time_idx: { columns: ['dst_namespace', 'time'], unique: false, primary: false },
    });
    expect(expected.flows.columns.http_path).toEqual({ type: 'text', nullable: true, default: null, precision: null });
    expect(expected.flows.columns.http_code.type).toBe('int8');
  });

  it('reports a column on one side only, a changed type and a missing index', () => {
    const doctored = structuredClone(expected);
    doctored.flows.columns.extra = { type: 'text', nullable: true, default: null, precision: null };
    delete doctored.gaps.columns.detail;
    doctored.edge_hour.columns.flows.type = 'int4';
    delete doctored.node_events.indexes.node_events_time_idx;
    expect(compareShapes(expected, expected)).toEqual([]);
    expect(compareShapes(expected, doctored)).toEqual([
      'column flows.extra: in the database, not in schema.prisma',
      'edge_hour.flows type: schema.prisma "int8", database "int4"',
      'index node_events.node_events_time_idx: in schema.prisma, not in the database',
      'column gaps.detail: in schema.prisma, not in the database',
    ]);
    const withField = parsePrismaSchema(schemaText.replace('  raw                String\n', '  raw                String\n  added Int?\n'));
    expect(compareShapes(withField, expected)).toEqual(['column flows.added: in schema.prisma, not in the database']);
  });

  it('refuses schema features it does not understand', () => {
    expect(() => parsePrismaSchema('model A {\n  id Int @id @unique\n}')).toThrow(/unsupported attribute @unique/);
    expect(() => parsePrismaSchema('model A {\n  id Int @id\n  b B\n}')).toThrow(/cannot read A/);
  });
});

for (const [name, open] of [['PGlite', openTestPglite], ['PostgreSQL', () => withTestSchema('schema_match')]] as const) {
  it(`the migrated ${name} database matches schema.prisma`, async () => {
    const t: TestDb = await open();
    try {
      const shape = await readDatabaseShape(t.db);
      expect(compareShapes(parsePrismaSchema(schemaText), shape)).toEqual([]);
      // Binary COPY sends each value in its column type's wire form: the writer's types must be the table's.
      const copyTypes = FLOW_COPY_COLUMNS.names.map((c, i) => `${c} ${FLOW_COPY_COLUMNS.types[i].replace(/^(.*)\[\]$/, '_$1')}`);
      expect(copyTypes).toEqual(FLOW_COPY_COLUMNS.names.map((c) => `${c} ${shape.flows.columns[c]?.type}`));
    } finally {
      await t.cleanup();
    }
  });
}
