'use client';

import type { ServiceMapCount } from '../../lib/api/service-map';

interface CountListProps {
  title: string;
  counts: readonly ServiceMapCount[];
  /** Text for a key (drop reason names → what the CLI prints, ...). */
  format?: (key: string) => string;
  /** How many to show before "and N more". */
  max?: number;
  tone?: 'drop';
}

/** A titled list of `key → flows`, largest first as the API sends them. */
export function CountList({ title, counts, format = (k) => k, max = 8, tone }: CountListProps) {
  if (counts.length === 0) return null;
  const rest = counts.length - max;
  return (
    <section className={`map-counts${tone ? ` tone-${tone}` : ''}`} aria-label={title}>
      <h3>{title}</h3>
      <dl>
        {counts.slice(0, max).map((c) => (
          <div key={c.key} className="map-count">
            <dt>{format(c.key) || '(none)'}</dt>
            <dd>{c.flows.toLocaleString('en-US')}</dd>
          </div>
        ))}
      </dl>
      {rest > 0 && <p className="muted">and {rest} more</p>}
    </section>
  );
}
