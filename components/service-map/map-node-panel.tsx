'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import Link from 'next/link';
import type { ServiceMapEdge, ServiceMapNode } from '../../lib/api/service-map';
import { dropReasonText } from '../../lib/flow/drop-reasons';
import { flowsQuery } from '../flows-table/flows-query';
import { droppedFlows } from './edge-style';
import { CountList } from './map-counts';
import { compareEdgesByTrouble, nodeDrops, type GraphIndex } from './map-index';
import { nodeFlowsHref, type LinkWindow, type LookupWindow } from './map-links';
import { KIND_TEXT, nodeLabel } from './map-names';
import { NODE_POD_FLOWS, nodePodFlags, nodePods } from './node-pods';

const EDGES_SHOWN = 12;

interface NodePanelProps {
  node: ServiceMapNode;
  index: GraphIndex;
  mapQ: string;
  window: LinkWindow;
  lookup: LookupWindow;
  onSelectEdge: (id: string) => void;
}

/** A node: what it is, its pods, what was dropped around it, its edges both ways; a link to its flows. */
export function NodePanel({ node, index, mapQ, window, lookup, onSelectEdge }: NodePanelProps) {
  const drops = nodeDrops(index, node.id);
  const inbound = [...(index.inbound.get(node.id) ?? [])].sort(compareEdgesByTrouble);
  const outbound = [...(index.outbound.get(node.id) ?? [])].sort(compareEdgesByTrouble);
  return (
    <>
      <h2>{nodeLabel(node)}</h2>
      <p className="muted">{KIND_TEXT[node.kind]}{node.cluster ? ` in cluster ${node.cluster}` : ''}</p>
      <p className="map-panel-links"><Link href={nodeFlowsHref(node, mapQ, window)}>Flows of {node.name}</Link></p>
      {node.services.length > 0 && <p>Services: <span className="mono">{node.services.join(', ')}</span></p>}
      {node.kind === 'workload' && node.namespace && <Pods node={node} lookup={lookup} />}
      {node.worldNames.length > 0 && <WorldNames names={node.worldNames} />}
      <CountList title="Drop reasons" counts={drops.reasons} format={dropReasonText} tone="drop" />
      <CountList title="Denying policies" counts={drops.policies} tone="drop" />
      <EdgeList title="Inbound" edges={inbound} index={index} onSelectEdge={onSelectEdge} />
      <EdgeList title="Outbound" edges={outbound} index={index} onSelectEdge={onSelectEdge} />
    </>
  );
}

const WORLD_NAMES_SHOWN = 20;

/** FQDNs and networks reached behind world, most flows first as the API orders them. */
function WorldNames({ names }: { names: readonly string[] }) {
  return (
    <section aria-label="Reached behind world">
      <h3>Reached behind world ({names.length})</h3>
      <ul className="map-pods mono">{names.slice(0, WORLD_NAMES_SHOWN).map((n) => <li key={n}>{n}</li>)}</ul>
      {names.length > WORLD_NAMES_SHOWN && <p className="muted">and {names.length - WORLD_NAMES_SHOWN} more</p>}
    </section>
  );
}

/** The workload's pods in its own cluster, from the window's newest flows (node-pods.ts); only the first page is read. */
function Pods({ node, lookup }: { node: ServiceMapNode; lookup: LookupWindow }) {
  const flows = useInfiniteQuery(flowsQuery({ q: nodePodFlags(node), since: lookup.since, until: lookup.until, limit: NODE_POD_FLOWS }));
  const first = flows.data?.pages[0];
  const pods = first ? nodePods(first.flows, node) : [];
  return (
    <section aria-label="Pods">
      <h3>Pods seen in this window{node.cluster ? ` in ${node.cluster}` : ''}</h3>
      {flows.isPending && <p className="muted">Loading pods…</p>}
      {flows.isError && <p className="muted">Pods unavailable: {flows.error.message}</p>}
      {first && pods.length === 0 && <p className="muted">No pod named like this workload in the window.</p>}
      {pods.length > 0 && <ul className="map-pods mono">{pods.map((p) => <li key={p}>{p}</li>)}</ul>}
    </section>
  );
}

function EdgeList({ title, edges, index, onSelectEdge }: { title: string; edges: readonly ServiceMapEdge[]; index: GraphIndex; onSelectEdge: (id: string) => void }) {
  if (edges.length === 0) return null;
  return (
    <section aria-label={`${title} edges`}>
      <h3>{title} ({edges.length})</h3>
      <ul className="map-edge-list">
        {edges.slice(0, EDGES_SHOWN).map((e) => {
          const dropped = droppedFlows(e);
          return (
            <li key={e.id}>
              <button type="button" className="link-button" onClick={() => onSelectEdge(e.id)}>{index.edgeLabels.get(e.id)}</button>
              <span className="muted"> {e.flows.toLocaleString('en-US')} flows</span>
              {dropped > 0 && <span className="bad"> · {dropped.toLocaleString('en-US')} dropped</span>}
            </li>
          );
        })}
      </ul>
      {edges.length > EDGES_SHOWN && <p className="muted">and {edges.length - EDGES_SHOWN} more in the edge table below</p>}
    </section>
  );
}
