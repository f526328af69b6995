import { sparklineGeometry } from '../../lib/drops/sparkline';

interface SparklineProps {
  counts: readonly number[];
  /** What the line shows, for people who cannot see it. */
  label: string;
  width?: number;
  height?: number;
}

/** Drops per bin over the window as a small line chart; React owns the SVG. */
export function Sparkline({ counts, label, width = 120, height = 24 }: SparklineProps) {
  const g = sparklineGeometry(counts, width, height);
  return (
    <svg className="sparkline" role="img" aria-label={label} width={width} height={height} viewBox={`0 0 ${width} ${height}`}>
      <path className="sparkline-area" d={g.area} />
      <path className="sparkline-line" d={g.line} />
    </svg>
  );
}
