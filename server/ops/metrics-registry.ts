/**
 * A small metrics registry and the Prometheus text exposition format 0.0.4: counters, gauges and
 * histograms the code updates as things happen, plus families whose samples are read from
 * elsewhere (the collector's status, the database) at scrape time. No client library: the format
 * is a few lines, and the dashboard needs nothing beyond it.
 */

export type MetricType = 'counter' | 'gauge' | 'histogram';
export type Labels = Readonly<Record<string, string>>;

/** One line of a family: `name{labels} value`; name is the family name plus a suffix for histograms. */
export interface Sample {
  suffix?: '_bucket' | '_sum' | '_count';
  labels?: Labels;
  value: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: MetricType;
  samples(): readonly Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function checkName(name: string): void {
  if (!METRIC_NAME.test(name)) throw new RangeError(`invalid metric name "${name}"`);
}

function checkLabels(labels: Labels): void {
  for (const name of Object.keys(labels)) {
    if (!LABEL_NAME.test(name) || name.startsWith('__')) throw new RangeError(`invalid label name "${name}"`);
  }
}

/** Labels in a stable order, as a map key. */
function labelsKey(labels: Labels): string {
  return JSON.stringify(Object.keys(labels).sort().map((k) => [k, labels[k]]));
}

/** A value as the exposition format writes it: Go's float formatting for the special values. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

const escapeHelp = (text: string) => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const escapeLabelValue = (text: string) => text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

function formatLabels(labels: Labels | undefined): string {
  const names = labels ? Object.keys(labels) : [];
  if (names.length === 0) return '';
  return `{${names.map((n) => `${n}="${escapeLabelValue(labels![n])}"`).join(',')}}`;
}

/** The text of every family, in the order given: HELP and TYPE, then its samples. */
export function exposeFamilies(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    for (const s of family.samples()) lines.push(`${family.name}${s.suffix ?? ''}${formatLabels(s.labels)} ${formatValue(s.value)}`);
  }
  return `${lines.join('\n')}\n`;
}

abstract class LabelledFamily<V> implements MetricFamily {
  protected readonly series = new Map<string, { labels: Labels; value: V }>();

  constructor(readonly name: string, readonly help: string, readonly type: MetricType) {
    checkName(name);
  }

  protected entry(labels: Labels, init: () => V): { labels: Labels; value: V } {
    const key = labelsKey(labels);
    let entry = this.series.get(key);
    if (!entry) {
      checkLabels(labels);
      entry = { labels: { ...labels }, value: init() };
      this.series.set(key, entry);
    }
    return entry;
  }

  abstract samples(): readonly Sample[];

  /** Every series as plain data, to be loaded into the same family elsewhere (the collector thread sends its own). */
  snapshot(): Array<{ labels: Labels; value: V }> {
    return [...this.series.values()].map(({ labels, value }) => ({ labels, value: structuredClone(value) }));
  }

  /** Replaces every series with a snapshot's. */
  load(series: ReadonlyArray<{ labels: Labels; value: V }>): void {
    this.series.clear();
    for (const { labels, value } of series) this.entry(labels, () => value);
  }
}

/** A count that only goes up. */
export class Counter extends LabelledFamily<number> {
  constructor(name: string, help: string) {
    super(name, help, 'counter');
  }

  inc(labels: Labels = {}, by = 1): void {
    if (!(by >= 0)) throw new RangeError(`${this.name}: a counter cannot go down (inc by ${by})`);
    this.entry(labels, () => 0).value += by;
  }

  samples(): Sample[] {
    return [...this.series.values()].map(({ labels, value }) => ({ labels, value }));
  }
}

/** A value that goes up and down. */
export class Gauge extends LabelledFamily<number> {
  constructor(name: string, help: string) {
    super(name, help, 'gauge');
  }

  set(value: number, labels: Labels = {}): void {
    this.entry(labels, () => 0).value = value;
  }

  /** Forgets every series (before setting the ones that exist now, e.g. per gap kind). */
  reset(): void {
    this.series.clear();
  }

  samples(): Sample[] {
    return [...this.series.values()].map(({ labels, value }) => ({ labels, value }));
  }
}

interface HistogramState { counts: number[]; sum: number; count: number }

/** Observations counted into cumulative buckets (upper bounds, `le`), with their sum and count. */
export class Histogram extends LabelledFamily<HistogramState> {
  readonly buckets: readonly number[];

  constructor(name: string, help: string, buckets: readonly number[]) {
    super(name, help, 'histogram');
    const sorted = [...buckets].sort((a, b) => a - b);
    if (sorted.length === 0 || sorted.some((b, i) => !Number.isFinite(b) || (i > 0 && b === sorted[i - 1]))) {
      throw new RangeError(`${name}: buckets must be distinct finite numbers`);
    }
    this.buckets = sorted;
  }

  observe(value: number, labels: Labels = {}): void {
    if ('le' in labels) throw new RangeError(`${this.name}: "le" is reserved for buckets`);
    const state = this.entry(labels, () => ({ counts: this.buckets.map(() => 0), sum: 0, count: 0 })).value;
    // Each bucket counts observations at or below its bound; the cumulative sums come at exposition.
    const i = this.buckets.findIndex((b) => value <= b);
    if (i >= 0) state.counts[i]++;
    state.sum += value;
    state.count++;
  }

  samples(): Sample[] {
    const out: Sample[] = [];
    for (const { labels, value: state } of this.series.values()) {
      let cumulative = 0;
      this.buckets.forEach((bound, i) => {
        cumulative += state.counts[i];
        out.push({ suffix: '_bucket', labels: { ...labels, le: formatValue(bound) }, value: cumulative });
      });
      out.push({ suffix: '_bucket', labels: { ...labels, le: '+Inf' }, value: state.count });
      out.push({ suffix: '_sum', labels, value: state.sum }, { suffix: '_count', labels, value: state.count });
    }
    return out;
  }
}

/** A family whose samples are read when scraped (from the collector's status, process stats). */
export function sampledFamily(name: string, help: string, type: Exclude<MetricType, 'histogram'>, read: () => readonly Sample[]): MetricFamily {
  checkName(name);
  return { name, help, type, samples: read };
}
