'use client';

import { useMemo, useRef } from 'react';
import type { ServiceMapResponse } from '../../lib/api/service-map';
import { layoutServiceMap, type MapLayout } from './map-layout';

/**
 * The layout of the shown graph. A live view lays each tick out over its previous layout, so nodes
 * keep their places; any other view, and the first answer of a live one, is laid out fresh from the
 * data alone, which is what makes a shared link draw the same picture. Placeholder data (the
 * previous view's, shown while the next loads) is laid out fresh and not remembered.
 */
export function useMapLayout(data: ServiceMapResponse | undefined, dataKey: string, live: boolean, placeholder: boolean): MapLayout | undefined {
  const last = useRef<{ key: string; layout: MapLayout } | undefined>(undefined);
  return useMemo(() => {
    if (!data) return undefined;
    const previous = live && !placeholder && last.current?.key === dataKey ? last.current.layout : undefined;
    const layout = layoutServiceMap(data, previous);
    if (!placeholder) last.current = { key: dataKey, layout };
    return layout;
  }, [data, dataKey, live, placeholder]);
}
