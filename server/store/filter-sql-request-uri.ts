/**
 * The path of `http_url` in SQL, exactly as the matcher's `requestURIPath` (`lib/filter/request-uri.ts`,
 * Go's `url.ParseRequestURI(...).Path`) computes it, for the `http_path` filter.
 *
 * The stored row has no path column, so the path is derived per row: scheme, query and authority are
 * cut off, the authority is validated as Go does, and the rest is percent-decoded with the WHATWG
 * UTF-8 decoder's rules (each run of `%XX` decoded on its own, a leading BOM dropped, each maximal
 * invalid subsequence becoming U+FFFD). One difference cannot be avoided: `%00` decodes to U+0000,
 * which PostgreSQL text cannot hold, so it is dropped (as flowToRow drops U+0000 everywhere).
 * A `http_path` column filled by flowToRow with requestURIPath would make this a plain column read.
 */

/** A constant of this module as an SQL string literal (never used for filter values). */
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

const BAD_PERCENT = lit('%(?![0-9A-Fa-f]{2})');
const USERINFO_SAFE = lit("^[-A-Za-z0-9._:~!$&'()*+,;=%@]*$");

const UTF8_VALID = [
  '[0-7][0-9a-f]', '(?:c[2-9a-f]|d[0-9a-f])[89ab][0-9a-f]', 'e0[ab][0-9a-f][89ab][0-9a-f]',
  '(?:e[1-9a-c]|e[ef])[89ab][0-9a-f][89ab][0-9a-f]', 'ed[89][0-9a-f][89ab][0-9a-f]',
  'f0[9ab][0-9a-f](?:[89ab][0-9a-f]){2}', 'f[1-3](?:[89ab][0-9a-f]){3}', 'f48[0-9a-f](?:[89ab][0-9a-f]){2}',
];
/** Starts of valid sequences cut short: each is one U+FFFD for the WHATWG decoder. */
const UTF8_TRUNCATED = [
  'c[2-9a-f]', 'd[0-9a-f]', 'e0[ab][0-9a-f]', '(?:e[1-9a-c]|e[ef])[89ab][0-9a-f]', 'ed[89][0-9a-f]', 'e[0-9a-f]',
  'f0[9ab][0-9a-f](?:[89ab][0-9a-f])?', 'f[1-3][89ab][0-9a-f](?:[89ab][0-9a-f])?', 'f48[0-9a-f](?:[89ab][0-9a-f])?', 'f[0-4]',
];
/** Top-level alternation is greedy in PostgreSQL: each token is the longest valid or truncated sequence, else one byte. */
const UTF8_TOKEN = lit([...UTF8_VALID, ...UTF8_TRUNCATED, '[0-9a-f]{2}'].join('|'));
const UTF8_VALID_WHOLE = lit(`^(?:${UTF8_VALID.join('|')})$`);

/** One run of `%XX` (SQL expression `run`) decoded like `new TextDecoder().decode(bytes)`. */
function decodeRun(run: string): string {
  const token = 'x.b[1]';
  return `(SELECT string_agg(CASE WHEN (x.n = 1 AND ${token} = 'efbbbf') OR ${token} = '00' THEN ''`
    + ` WHEN ${token} ~ ${UTF8_VALID_WHOLE} THEN convert_from(decode(${token}, 'hex'), 'UTF8') ELSE chr(65533) END, '' ORDER BY x.n)`
    + ` FROM regexp_matches(lower(replace(${run}, '%', '')), ${UTF8_TOKEN}, 'g') WITH ORDINALITY AS x(b, n))`;
}

/** Go's `unescape` in path mode: NULL when a `%` does not start a hex pair. */
function percentDecode(s: string): string {
  return `CASE WHEN strpos(${s}, '%') = 0 THEN ${s} WHEN ${s} ~ ${BAD_PERCENT} THEN NULL`
    + ` ELSE (SELECT string_agg(CASE WHEN starts_with(m.t[1], '%') THEN ${decodeRun('m.t[1]')} ELSE m.t[1] END, '' ORDER BY m.n)`
    + ` FROM regexp_matches(${s}, '(?:%[0-9A-Fa-f]{2})+|[^%]+', 'g') WITH ORDINALITY AS m(t, n)) END`;
}

/** Printable ASCII a host may not hold (controls are already excluded, `%XX` pairs are checked apart). */
const HOST_BAD = lit(' #/?@\\^`{|}');
/** Whether `s` is empty or only digits (no regexp: every distinct regexp in a query costs a compile-cache slot). */
const digitsOnly = (s: string) => `translate(${s}, '0123456789', '') = ''`;

/**
 * Go's host unescaping rules: percent pairs only for non-ASCII bytes or `%25` (except in a zone), and
 * then only HOST_SAFE characters (`request-uri.ts`); with every `%` starting a pair, removing the pairs
 * removes every `%`, so the rest is a check for the characters HOST_SAFE leaves out.
 */
function hostChars(s: string, zone: boolean): string {
  const escapes = zone ? '' : ` AND ${s} !~ '%(?![89A-Fa-f][0-9A-Fa-f]|25)'`;
  return `(${s} !~ ${BAD_PERCENT}${escapes} AND length(translate(${s}, ${HOST_BAD}, '')) = length(${s}))`;
}

function validHost(): string {
  const zone = `strpos(hb.inside, '%25')`;
  const port = `(hb.tail = '' OR (starts_with(hb.tail, ':') AND ${digitsOnly('substr(hb.tail, 2)')}))`;
  const bracketed = `hb.inside IS NOT NULL AND ${port} AND CASE WHEN ${zone} > 0`
    + ` THEN ${hostChars(`left(hb.inside, ${zone} - 1)`, false)} AND ${hostChars(`substr(hb.inside, ${zone})`, true)}`
    + ` AND ${hostChars('substr(h.host, length(hb.inside) + 1)', false)} ELSE ${hostChars('h.host', false)} END`;
  const plain = `(strpos(h.host, ':') = 0 OR ${digitsOnly(`reverse(split_part(reverse(h.host), ':', 1))`)}) AND ${hostChars('h.host', false)}`;
  return `CASE WHEN starts_with(h.host, '[') THEN ${bracketed} ELSE ${plain} END`;
}

function validAuthority(): string {
  const pieces = [1, 2].map((i) => `split_part(h.userinfo, ':', ${i}) !~ ${BAD_PERCENT}`).join(' AND ');
  return `(${validHost()}) AND (h.userinfo IS NULL OR (h.userinfo ~ ${USERINFO_SAFE} AND ${pieces}))`;
}

/** `(SELECT ... OFFSET 0)`: the fence keeps PostgreSQL from inlining (and so re-evaluating) each step at every use. */
const step = (columns: string, alias: string) => ` CROSS JOIN LATERAL (SELECT ${columns} OFFSET 0) ${alias}`;
/** The part of `s` after its last `c`, and before it. */
const afterLast = (s: string, c: string) => `reverse(split_part(reverse(${s}), '${c}', 1))`;
const beforeLast = (s: string, c: string) => `left(${s}, length(${s}) - strpos(reverse(${s}), '${c}'))`;

/**
 * A FROM list over the SQL expression `url` (an http URL, never empty) whose last item exposes
 * `d.path`: the decoded request path, or NULL where Go's ParseRequestURI would fail.
 */
export function requestPathFrom(url: string): string {
  const rawPath = `CASE WHEN ${url} ~ '[\\u0001-\\u001f\\u007f]' THEN NULL WHEN ${url} = '*' THEN '*'`
    + ` WHEN starts_with(${url}, ':') THEN NULL`
    + ` WHEN NOT starts_with(r.rest, '/') THEN CASE WHEN s.sch IS NULL THEN NULL ELSE '' END`
    + ` WHEN a.auth IS NULL THEN r.rest`
    + ` WHEN ${validAuthority()} THEN substr(r.rest, 3 + length(a.auth)) END`;
  return `(SELECT substring(${url} from '^[A-Za-z][A-Za-z0-9+.-]*:') AS sch OFFSET 0) s`
    + step(`split_part(CASE WHEN s.sch IS NULL THEN ${url} ELSE substr(${url}, length(s.sch) + 1) END, '?', 1) AS rest`, 'r')
    + step(`CASE WHEN s.sch IS NOT NULL AND starts_with(r.rest, '//') THEN split_part(substr(r.rest, 3), '/', 1) END AS auth`, 'a')
    + step(`${afterLast('a.auth', '@')} AS host, CASE WHEN strpos(a.auth, '@') > 0 THEN ${beforeLast('a.auth', '@')} END AS userinfo`, 'h')
    + step(`CASE WHEN strpos(h.host, ']') > 0 THEN ${beforeLast('h.host', ']')} END AS inside,`
      + ` CASE WHEN strpos(h.host, ']') > 0 THEN ${afterLast('h.host', ']')} END AS tail`, 'hb')
    + step(`${rawPath} AS raw_path`, 'p')
    + step(`${percentDecode('p.raw_path')} AS path`, 'd');
}
