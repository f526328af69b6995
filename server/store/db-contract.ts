/**
 * The behaviour both Db drivers must share, as one Vitest suite that pglite-db.test.ts and
 * pg-db.int.test.ts run on their own database. Test code only.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { copyRows, type CopyColumns } from './copy-binary';
import { migrate } from './migrate';
import type { TestDb } from './test-db';

const PROBE_COLUMNS = ['id', 's', 'a', 'n', 'b', 'ip', 't'] as const;
const PROBE: CopyColumns = { names: PROBE_COLUMNS, types: ['int4', 'text', 'text[]', 'int8', 'bool', 'inet', 'timestamptz'] };

/** Times whose fraction PostgreSQL rounds to microseconds, half to even, from the text; COPY must agree. */
const ROUNDED_TIMES: readonly string[] = [
  '2026-01-01T00:00:00.000000500Z', '2026-01-01T00:00:00.000001500Z', '2026-01-01T00:00:00.000002500Z',
  '2026-01-01T00:00:00.123456500Z', '2026-01-01T00:00:00.123457500Z', '2026-01-01T00:00:00.999999500Z',
  '2026-01-01T23:59:59.999999999Z', '2026-01-01T00:00:00.000000499Z', '2026-01-01T00:00:00.000000501Z',
  '1999-12-31T23:59:59.999999500Z', '1970-01-01T00:00:00.5Z', '1969-07-20T20:17:40.000000500Z',
  '2024-02-29T12:00:00.250000500+05:30', '2026-03-29T01:30:00.000000700-08:00', '2038-01-19T03:14:08.1234565Z',
  // Beyond 2^53 µs from 2000 a double cannot count every microsecond.
  '1600-01-01T00:00:00.000001Z', '2300-01-01T00:00:00.000001Z', '0001-01-01T00:00:00.123457Z', '9999-12-31T23:59:59.999999Z',
];

/** Values COPY must carry unchanged (NUL excepted: text cannot hold it and copyRow drops it). */
export const HOSTILE_STRINGS: readonly string[] = [
  '', ' ', '\t', '\n', '\r\n', '\\', '\\N', 'NULL', '\\\\t', 'a\tb\nc\rd\\e', `it's "quoted"`, 'nul\0inside',
  'ünïcødé ✓ 🚀 עברית 中文 e\u0301', '\u2028\u2029\ufeff', '{a,b}', '"', ',', `${'x'.repeat(1 << 20)}\t${'y'.repeat(100)}`,
];

/** Array elements that array-literal syntax treats specially. */
export const HOSTILE_ELEMENTS: readonly string[] = ['', 'NULL', 'a,b', '{x}', '}', '"', '\\', ' lead', 'trail ', 'tab\there', 'nl\nthere'];

/** The PGlite and Postgres drivers must behave the same; both test files run this. */
export function describeDbContract(name: string, open: () => Promise<TestDb>): void {
  describe(`Db contract: ${name}`, () => {
    let t: TestDb;
    beforeAll(async () => {
      t = await open();
      await t.db.query(`CREATE TABLE copy_probe (id int PRIMARY KEY, s text, a text[], n bigint, b bool, ip inet, t timestamptz)`);
    });
    afterAll(() => t?.cleanup());
    beforeEach(() => t.db.query('TRUNCATE copy_probe'));

    it('is migrated, and migrating again applies nothing', async () => {
      expect(await migrate(t.db)).toEqual([]);
      const [row] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "_prisma_migrations"`);
      expect(row.n).toBeGreaterThan(0);
    });

    it('runs several statements without parameters (migrations)', async () => {
      // What such a call returns is not part of the contract: pg gives no rows for it.
      await t.db.query('CREATE TABLE multi (x int); INSERT INTO multi VALUES (1), (2); INSERT INTO multi VALUES (3)');
      expect(await t.db.query('SELECT sum(x)::int AS s FROM multi')).toEqual([{ s: 6 }]);
      await t.db.query('DROP TABLE multi');
    });

    it('round-trips hostile strings and arrays through COPY exactly', async () => {
      const rows = HOSTILE_STRINGS.map((s, i) => [i, s, [...HOSTILE_ELEMENTS, s], 2n ** 53n + 2n, i % 2 === 0, i % 3 ? '10.0.0.1' : '2001:db8::1', `2026-01-0${1 + (i % 9)}T00:00:00.123456Z`] as const);
      await t.db.transaction((tx) => tx.copyFrom('copy_probe', PROBE_COLUMNS, copyRows(rows, PROBE)));
      await t.db.transaction((tx) => tx.copyFrom('copy_probe', PROBE_COLUMNS, copyRows([[1000, null, [], null, null, null, null]], PROBE)));
      const back = await t.db.query<{ id: number; s: string; a: string[]; n: string; b: boolean; ip: string; t: Date }>('SELECT * FROM copy_probe ORDER BY id');
      expect(back).toHaveLength(rows.length + 1);
      rows.forEach(([id, s, a, , b, ip, time], i) => {
        const clean = s.replace(/\0/g, '');
        expect(back[i].id).toBe(id);
        expect(back[i].s === clean, `string #${i}`).toBe(true);
        expect(back[i].a).toEqual(a.map((e) => e.replace(/\0/g, '')));
        expect(back[i].n).toBe(String(2 ** 53 + 2));
        expect(back[i].b).toBe(b);
        expect(back[i].ip).toBe(ip);
        expect(back[i].t.getTime()).toBe(Date.parse(time));
      });
      expect(back.at(-1)).toMatchObject({ id: 1000, s: null, a: [], n: null, b: null, ip: null, t: null });
    });

    it('stores a COPY time exactly as PostgreSQL reads the same text, and int8 at both ends', async () => {
      const rows = ROUNDED_TIMES.map((time, i) => [i, time, null, i % 2 ? -(2n ** 63n) : '9223372036854775807', null, '::ffff:10.1.2.3', time]);
      await t.db.transaction((tx) => tx.copyFrom('copy_probe', PROBE_COLUMNS, copyRows(rows, PROBE)));
      const back = await t.db.query<{ s: string; same: boolean; n: string; ip: string }>(
        `SELECT s, t = s::timestamptz AS same, n::text AS n, host(ip) AS ip FROM copy_probe ORDER BY id`);
      expect(back.filter((r) => !r.same).map((r) => r.s)).toEqual([]);
      expect(back.map((r) => r.n)).toEqual(rows.map((r) => String(r[3])));
      expect(new Set(back.map((r) => r.ip))).toEqual(new Set(['::ffff:10.1.2.3']));
    });

    it('binds parameters of every SqlParam kind', async () => {
      const when = new Date('2026-02-03T04:05:06.789Z');
      await t.db.query('INSERT INTO copy_probe VALUES ($1, $2, $3, $4, $5, $6, $7)', [1, `a'b"c\\`, ['x,y', '}', ''], 12345678901n, true, '192.168.1.2', when]);
      const [row] = await t.db.query('SELECT * FROM copy_probe WHERE id = $1 AND $2::int[] @> ARRAY[1]', [1, [1, 2]]);
      expect(row).toEqual({ id: 1, s: `a'b"c\\`, a: ['x,y', '}', ''], n: 12345678901, b: true, ip: '192.168.1.2', t: when });
    });

    it('streams a query in batches, and can stop early', async () => {
      const data = copyRows(Array.from({ length: 2500 }, (_, i) => [i, `row ${i}`, null, i, null, null, null]), PROBE);
      await t.db.transaction((tx) => tx.copyFrom('copy_probe', PROBE_COLUMNS, data));
      const sizes: number[] = [];
      let next = 10;
      for await (const batch of t.db.stream<{ id: number }>('SELECT id FROM copy_probe WHERE id >= $1 ORDER BY id', [10], 1000)) {
        sizes.push(batch.length);
        for (const r of batch) expect(r.id).toBe(next++);
        await t.db.query('SELECT 1'); // the Db stays usable between batches
      }
      expect(sizes).toEqual([1000, 1000, 490]);
      for await (const batch of t.db.stream('SELECT id FROM copy_probe', [], 7)) {
        expect(batch).toHaveLength(7);
        break;
      }
      expect(await t.db.query('SELECT count(*)::int AS n FROM copy_probe')).toEqual([{ n: 2500 }]);
    });

    it('rolls a transaction back when it throws, and stays usable after SQL errors', async () => {
      const boom = new Error('boom');
      await expect(t.db.transaction(async (tx) => {
        await tx.query('INSERT INTO copy_probe (id) VALUES (1)');
        throw boom;
      })).rejects.toBe(boom);
      await expect(t.db.transaction((tx) => tx.query('INSERT INTO copy_probe (id) VALUES (2), (2)'))).rejects.toMatchObject({ code: '23505' });
      await expect(t.db.query('SELECT * FROM no_such_table')).rejects.toMatchObject({ code: '42P01' });
      expect(await t.db.query('SELECT count(*)::int AS n FROM copy_probe')).toEqual([{ n: 0 }]);
    });

    it('keeps a transaction\'s uncommitted rows from other callers', async () => {
      let release!: () => void;
      const gate = new Promise<void>((r) => { release = r; });
      const tx = t.db.transaction(async (q) => {
        await q.query('INSERT INTO copy_probe (id) VALUES (7)');
        await gate;
        throw new Error('rolled back');
      });
      const seen = t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM copy_probe');
      setTimeout(release, 50);
      await expect(tx).rejects.toThrow('rolled back');
      expect(await seen).toEqual([{ n: 0 }]);
    });
  });
}
