'use client';

import { useId, useMemo, useState, type FormEvent } from 'react';
import type { ServiceMapNode } from '../../lib/api/service-map';
import { findLabeler, searchNodes } from './map-index';

interface MapFindProps {
  nodes: readonly ServiceMapNode[];
  onFind: (id: string) => void;
  onFit: () => void;
}

/** Find a workload (it is selected and centred) and Fit to screen. */
export function MapFind({ nodes, onFind, onFit }: MapFindProps) {
  const [text, setText] = useState('');
  const [missing, setMissing] = useState<string>();
  const listId = useId();
  const matches = useMemo(() => searchNodes(nodes, text), [nodes, text]);
  const labelOf = useMemo(() => findLabeler(nodes), [nodes]);

  function submit(e: FormEvent) {
    e.preventDefault();
    const found = matches[0];
    setMissing(found || !text.trim() ? undefined : `Nothing on the map matches “${text.trim()}”.`);
    if (found) onFind(found.id);
  }

  return (
    <form className="map-find" role="search" aria-label="Find on the map" onSubmit={submit}>
      <input
        type="search" aria-label="Find a workload" placeholder="Find a workload" value={text} list={listId}
        spellCheck={false} autoComplete="off" onChange={(e) => setText(e.target.value)}
      />
      <datalist id={listId}>{matches.map((n) => <option key={n.id} value={labelOf(n)} />)}</datalist>
      <button type="submit">Find</button>
      <button type="button" onClick={onFit}>Fit to screen</button>
      {missing && <span role="status" className="warn-line">{missing}</span>}
      <span className="map-legend" aria-label="Legend">
        <span><i className="tone-drop" />drops</span>
        <span><i className="tone-error" />HTTP 5xx, DNS or Kafka errors</span>
        <span><i />other traffic</span>
        <span>width: flows/s</span>
      </span>
    </form>
  );
}
