'use client';

import Link from 'next/link';
import type { ServiceMapEdge, ServiceMapNode } from '../../lib/api/service-map';
import { dropReasonText } from '../../lib/flow/drop-reasons';
import { droppedFlows, failedFlows, formatRate } from './edge-style';
import { CountList } from './map-counts';
import { edgeFlowsHref, type LinkWindow } from './map-links';
import { isCrossCluster } from '../../lib/service-map/clusters';
import { clusterNodeLabel, nodeLabel } from './map-names';

interface EdgePanelProps {
  edge: ServiceMapEdge;
  source?: ServiceMapNode;
  target?: ServiceMapNode;
  mapQ: string;
  window: LinkWindow;
  onSelectNode: (id: string) => void;
}

/** An edge's numbers: the drop breakdown first, then verdicts, ports and L7; links to its flows. */
export function EdgePanel({ edge, source, target, mapQ, window, onSelectNode }: EdgePanelProps) {
  const dropped = droppedFlows(edge);
  const failed = failedFlows(edge);
  // Between clusters each end is named with its cluster: `shop/api` alone could be either's.
  const cross = source !== undefined && target !== undefined && isCrossCluster(source, target);
  const label = cross ? clusterNodeLabel : nodeLabel;
  const side = (n: ServiceMapNode | undefined, id: string) => (n
    ? <button type="button" className="link-button" onClick={() => onSelectNode(n.id)}>{label(n)}</button>
    : <span className="mono">{id}</span>);
  return (
    <>
      <h2>{source ? label(source) : edge.source} → {target ? label(target) : edge.target}</h2>
      <p className="map-panel-nodes">From {side(source, edge.source)} to {side(target, edge.target)}</p>
      {cross && source && target && (
        <p className="map-panel-clusters">
          Between clusters: from <strong>{source.cluster}</strong> to <strong>{target.cluster}</strong>
        </p>
      )}
      <p className="map-panel-summary">
        {edge.flows.toLocaleString('en-US')} flows, {formatRate(edge.flowsPerS)}
        {dropped > 0 && <strong className="bad"> · {dropped.toLocaleString('en-US')} dropped</strong>}
        {failed > 0 && <span className="warn"> · {failed.toLocaleString('en-US')} failed</span>}
      </p>
      {source && target && (
        <p className="map-panel-links">
          {dropped > 0 && <Link href={edgeFlowsHref(source, target, mapQ, window, { dropped: true })}>Dropped flows</Link>}
          <Link href={edgeFlowsHref(source, target, mapQ, window)}>All flows between them</Link>
        </p>
      )}
      <CountList title="Drop reasons" counts={edge.dropReasons} format={dropReasonText} tone="drop" />
      <CountList title="Denying policies" counts={edge.policies} tone="drop" />
      <CountList title="Verdicts" counts={edge.verdicts} />
      <CountList title="Ports" counts={edge.ports} />
      <CountList title="L7" counts={edge.l7} />
      <p className="muted">Counted over requests and their replies; the flow links select the requests.</p>
    </>
  );
}
