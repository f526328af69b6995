/**
 * Progress of a long command on stderr: a redrawn one-line bar on a terminal (bytes of total,
 * lines, flows/s, ETA), plain lines every few seconds otherwise, so logs of CI jobs and
 * `… | hubble-dashboard import -` runs stay readable.
 */

export interface ProgressCounts {
  /** Input consumed so far. */
  bytes: number;
  lines: number;
  /** Flows written so far. */
  flows: number;
}

/** What a progress display writes to: process.stderr, or a fake in tests. */
export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  out: ProgressOutput;
  /** Shown first on every line, e.g. `import`. */
  label: string;
  /** Size of the input when known (a file); enables the percentage and ETA. */
  totalBytes?: number;
  clock?: () => number;
  /** Redraw interval on a terminal. */
  redrawMs?: number;
  /** Interval of the plain lines when not on a terminal. */
  logEveryMs?: number;
}

export interface Progress {
  /** New counts; redraws or logs when its interval has passed. */
  update(counts: ProgressCounts): void;
  /** Prints a line of its own (an error report) without tearing the bar. */
  message(text: string): void;
  /** Removes the bar; nothing is printed after this. */
  finish(): void;
}

/** What the formatters show; rates come from a sliding window of recent samples. */
export interface ProgressView extends ProgressCounts {
  label: string;
  totalBytes?: number;
  flowsPerS: number;
  /** Seconds left, from the recent byte rate; undefined when unknown. */
  etaS?: number;
}

const RATE_WINDOW_MS = 5_000;
/** Room a bar line keeps for everything but the bar (`import 100% [] 1.5/1.5 GiB 1,000,000 lines …`). */
const RESERVED_COLUMNS = 68;

/** `12.3 MiB`, `512 B`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

/** `0:07`, `12:05`, `1:02:03`. */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');

function fraction(v: ProgressView): number | undefined {
  return v.totalBytes ? Math.min(1, v.bytes / v.totalBytes) : undefined;
}

function eta(v: ProgressView): string {
  return `ETA ${v.etaS === undefined ? '?' : formatEta(v.etaS)}`;
}

/** `24.0/46.9 MiB` when both sizes share a unit, else `512 B/46.9 MiB`. */
function sizes(bytes: number, total: number | undefined): string {
  if (total === undefined) return formatBytes(bytes);
  const [done, all] = [formatBytes(bytes), formatBytes(total)];
  const unit = all.slice(all.indexOf(' '));
  return done.endsWith(unit) ? `${done.slice(0, -unit.length)}/${all}` : `${done}/${all}`;
}

/**
 * The terminal line, fitted to `width` columns (the bar shrinks, then goes):
 * `import  45% [#####------] 12.3/27.4 MiB 123,456 lines 45,678 flows/s ETA 0:12`.
 */
export function formatProgressBar(v: ProgressView, width = 100): string {
  const f = fraction(v);
  const tail = ` ${sizes(v.bytes, v.totalBytes)} ${count(v.lines)} lines ${count(v.flowsPerS)} flows/s ${eta(v)}`;
  if (f === undefined) return `${v.label}${tail}`.slice(0, width - 1);
  const head = `${v.label} ${`${Math.floor(f * 100)}%`.padStart(4)}`;
  // The bar's width depends on the terminal, so it does not jump as the numbers grow, unless the
  // numbers need its room.
  const barWidth = Math.min(30, width - 1 - RESERVED_COLUMNS, width - 1 - head.length - tail.length - 3);
  if (barWidth < 5) return `${head}${tail}`.slice(0, width - 1);
  const filled = Math.round(f * barWidth);
  return `${head} [${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]${tail}`.slice(0, width - 1);
}

/** The plain line for logs: `import: 12.3/27.4 MiB (45%), 123,456 lines, 120,000 flows, 45,678 flows/s, ETA 0:12`. */
export function formatProgressLine(v: ProgressView): string {
  const f = fraction(v);
  return `${v.label}: ${sizes(v.bytes, v.totalBytes)}${f === undefined ? '' : ` (${Math.floor(f * 100)}%)`}, ` +
    `${count(v.lines)} lines, ${count(v.flows)} flows, ${count(v.flowsPerS)} flows/s, ${eta(v)}`;
}

/** A progress display on `out`: a bar on a terminal, periodic lines elsewhere. */
export function createProgress(opts: ProgressOptions): Progress {
  const clock = opts.clock ?? (() => performance.now());
  const tty = opts.out.isTTY === true;
  const intervalMs = tty ? (opts.redrawMs ?? 100) : (opts.logEveryMs ?? 5_000);
  const samples: Array<{ atMs: number; counts: ProgressCounts }> = [{ atMs: clock(), counts: { bytes: 0, lines: 0, flows: 0 } }];
  let last: ProgressCounts = { bytes: 0, lines: 0, flows: 0 };
  let lastShownMs = clock();
  let barShown = false;
  let finished = false;

  function view(nowMs: number): ProgressView {
    while (samples.length > 2 && nowMs - samples[1].atMs >= RATE_WINDOW_MS) samples.shift();
    const first = samples[0];
    const dtS = (nowMs - first.atMs) / 1000;
    const flowsPerS = dtS > 0 ? (last.flows - first.counts.flows) / dtS : 0;
    const bytesPerS = dtS > 0 ? (last.bytes - first.counts.bytes) / dtS : 0;
    const etaS = opts.totalBytes !== undefined && bytesPerS > 0 ? Math.max(0, opts.totalBytes - last.bytes) / bytesPerS : undefined;
    return { ...last, label: opts.label, totalBytes: opts.totalBytes, flowsPerS, etaS };
  }

  function draw(nowMs: number): void {
    if (tty) {
      opts.out.write(`\r${formatProgressBar(view(nowMs), opts.out.columns ?? 100)}\x1b[K`);
      barShown = true;
    } else {
      opts.out.write(`${formatProgressLine(view(nowMs))}\n`);
    }
  }

  function clearBar(): void {
    if (barShown) opts.out.write('\r\x1b[K');
    barShown = false;
  }

  return {
    update(counts) {
      if (finished) return;
      const nowMs = clock();
      last = { ...counts };
      samples.push({ atMs: nowMs, counts: last });
      if (nowMs - lastShownMs < intervalMs) return;
      lastShownMs = nowMs;
      draw(nowMs);
    },
    message(text) {
      clearBar();
      opts.out.write(`${text}\n`);
      if (tty && !finished) draw(clock());
    },
    finish() {
      if (finished) return;
      finished = true;
      clearBar();
    },
  };
}
