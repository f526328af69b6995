'use client';

import { useCallback, useEffect, useMemo, useState } from 'react';
import { findRowIndex, flowRowKey, type FlowRows } from './flow-rows';

interface Selection {
  key: string;
  /** Where the row was, and how many live rows had been added above the list then. */
  index: number;
  prependedAt: number;
}

/**
 * The selected row, held by flow key so it stays on its flow while live rows are added above;
 * a flow named in the URL (`flow=`) is selected as soon as its row is loaded.
 */
export function useRowSelection(rows: FlowRows, prepended: number, openFlow: string | undefined) {
  const [selection, setSelection] = useState<Selection>();

  useEffect(() => {
    if (openFlow) setSelection((s) => (s?.key === openFlow ? s : { key: openFlow, index: 0, prependedAt: prepended }));
    // Only a change of the URL's flow moves the selection; `prepended` is only read for the hint.
  }, [openFlow]);

  const index = useMemo(
    () => (selection ? findRowIndex(rows, selection.key, selection.index + prepended - selection.prependedAt) : undefined),
    [rows, selection, prepended],
  );

  const select = useCallback((at: number) => {
    const key = flowRowKey(rows.at(at));
    setSelection({ key, index: at, prependedAt: prepended });
    return key;
  }, [rows, prepended]);

  return { selectedKey: selection?.key, selectedIndex: index, select };
}
