'use client';

import { useQuery } from '@tanstack/react-query';
import type { FlagControlState } from './flags-edit';
import { flowValuesQuery } from './flow-values-query';
import { MultiValuePicker, type PickerNouns } from './multi-value-picker';

interface ClusterPickerProps {
  control: FlagControlState;
  /** The window to list the clusters seen in (as `hubble observe --since` takes it); absent: the newest data. */
  since?: string;
  until?: string;
  onChange: (clusters: string[]) => void;
}

const NOUNS: PickerNouns = { one: 'cluster', many: 'clusters', title: 'Clusters' };

/**
 * Picks clusters the way `hubble observe --cluster a --cluster b` selects flows: either side in any
 * picked cluster; "All clusters" is no cluster filter. The list is the clusters seen in stored
 * flows the viewer may see (GET /api/flow-values?field=cluster). With one cluster seen and none
 * picked the button names it, so a single-cluster install still shows where its flows come from.
 */
export function ClusterPicker({ control, since, until, onChange }: ClusterPickerProps) {
  const clusters = useQuery(flowValuesQuery({ field: 'cluster', limit: 500, since, until }));
  return (
    <MultiValuePicker
      nouns={NOUNS} control={control} seen={clusters.data ?? []} loading={clusters.isPending}
      loadError={clusters.isError ? clusters.error.message : undefined} onChange={onChange}
      onOpen={() => void clusters.refetch()} compactSingle
    />
  );
}

/**
 * The picker where the clusters are fixed by what is shown (a drop group's key): it names them and
 * says why. Nothing when none is named (flows stored before relays named their cluster).
 */
export function FixedClusterPicker({ clusters, reason }: { clusters: readonly string[]; reason: string }) {
  const selected = [...new Set(clusters.filter(Boolean))];
  if (selected.length === 0) return null;
  return <MultiValuePicker nouns={NOUNS} control={{ editable: false, reason, selected }} seen={[]} loading={false} onChange={() => undefined} />;
}
