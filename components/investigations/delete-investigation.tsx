'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { deleteInvestigationRequest, investigationsListQuery } from './investigations-query';

interface DeleteInvestigationProps {
  id: string;
  title: string;
  flowCount: number;
  onDeleted?: () => void;
}

/** Delete, with an explicit confirmation naming what goes: the investigation and its frozen flows. */
export function DeleteInvestigation({ id, title, flowCount, onDeleted }: DeleteInvestigationProps) {
  const [confirming, setConfirming] = useState(false);
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => deleteInvestigationRequest(id),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: investigationsListQuery().queryKey });
      onDeleted?.();
    },
  });
  if (!confirming) return <button type="button" className="danger" onClick={() => setConfirming(true)}>Delete</button>;
  return (
    <div role="alertdialog" aria-label={`Delete ${title}`} className="confirm-delete">
      <span>
        Delete “{title}” and its {flowCount.toLocaleString()} frozen flow{flowCount === 1 ? '' : 's'}? The link stops working.
      </span>
      <button type="button" className="danger" onClick={() => remove.mutate()} disabled={remove.isPending}>
        {remove.isPending ? 'Deleting…' : 'Yes, delete'}
      </button>
      <button type="button" onClick={() => setConfirming(false)} disabled={remove.isPending}>Cancel</button>
      {remove.isError && <span className="error-line" role="alert">{remove.error.message}</span>}
    </div>
  );
}
