/**
 * The geometry of a drop group's sparkline: counts per bin → an SVG path, drawn by the component.
 */

export interface SparklineGeometry {
  /** An SVG path (`M x y L x y ...`) through one point per bin; '' without bins. */
  line: string;
  /** The same line closed down to the baseline, for a filled area; '' without bins. */
  area: string;
  /** The largest count, which the top of the box stands for. */
  max: number;
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * Points for `counts` in a `width` × `height` box (y grows downwards; 1 px padding keeps the
 * stroke inside). A single bin is drawn as a flat line across the box; all-zero counts lie on the
 * baseline.
 */
export function sparklineGeometry(counts: readonly number[], width: number, height: number): SparklineGeometry {
  if (counts.length === 0 || !(width > 0) || !(height > 0)) return { line: '', area: '', max: 0 };
  const values = counts.map((c) => (Number.isFinite(c) && c > 0 ? c : 0));
  const max = Math.max(...values);
  const top = 1;
  const bottom = height - 1;
  const y = (v: number) => round(max === 0 ? bottom : bottom - (v / max) * (bottom - top));
  const step = values.length === 1 ? 0 : width / (values.length - 1);
  const points = values.length === 1
    ? [[0, y(values[0])], [width, y(values[0])]]
    : values.map((v, i) => [round(i * step), y(v)]);
  const line = points.map(([px, py], i) => `${i === 0 ? 'M' : 'L'}${px} ${py}`).join(' ');
  const area = `${line} L${points[points.length - 1][0]} ${bottom} L${points[0][0]} ${bottom} Z`;
  return { line, area, max };
}
