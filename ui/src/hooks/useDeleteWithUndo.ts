import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import { useToast } from './useToast';
import { toIpcError } from '../ipc';
import { useRouter, type Section } from '../router';

export interface DeleteWithUndoOptions {
  /** Deletes the record. */
  remove: () => Promise<unknown>;
  /** Restores the record (the toast's Undo, and the deleted banner's Restore). */
  restore: () => Promise<unknown>;
  /** The list to return to once the record is deleted. */
  section: Section;
  /** Message keys of the toasts shown once deleted and once restored by Undo. */
  messages: { deleted: string; restored: string };
}

/**
 * Delete a record after confirmation: back to its list, with a toast whose Undo restores it.
 * `restore` also serves the deleted banner of a record that is already deleted.
 */
export function useDeleteWithUndo({ remove: removeFn, restore: restoreFn, section, messages }: DeleteWithUndoOptions) {
  const { openSection } = useRouter();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [confirming, setConfirming] = useState(false);

  const remove = useMutation({
    mutationFn: removeFn,
    onSuccess: () => {
      setConfirming(false);
      void queryClient.invalidateQueries();
      openSection(section);
      toast.show({
        message: messages.deleted,
        tone: 'success',
        action: {
          label: 'common.undo',
          testId: 'undo',
          onClick: async () => {
            try {
              await restoreFn();
              await queryClient.invalidateQueries();
              toast.show({ message: messages.restored, tone: 'success', duration: 4000 });
            } catch (e) {
              toast.show({ message: toIpcError(e).message, raw: true, tone: 'error' });
            }
          },
        },
      });
    },
    onError: () => setConfirming(false),
  });
  const restore = useMutation({
    mutationFn: restoreFn,
    onSuccess: () => void queryClient.invalidateQueries(),
  });

  return { confirming, setConfirming, remove, restore };
}
