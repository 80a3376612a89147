import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';

import type { FieldError } from '../bindings/FieldError';
import type { IpcError } from '../bindings/IpcError';
import { toIpcError } from '../ipc';
import { fieldErrorMap, type FieldErrors } from '../lib/errors';
import { useRouter, type Route } from '../router';

/**
 * Saving a record form: one save at a time; on success, cache the saved record and open its page; on an
 * `invalid` error, map the core's field paths back to the form's rows (`remap`) and keep them for display.
 */
export function useRecordSave<I, R extends { id: string }>(options: {
  save: (input: I) => Promise<R>;
  /** The saved record's page, also its query key's first part. */
  page: (saved: R) => Extract<Route, { name: 'partner' | 'contact' | 'agreement' | 'exchange' | 'project' | 'event' | 'call' | 'application' }>;
}) {
  const { finish } = useRouter();
  const queryClient = useQueryClient();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<IpcError | null>(null);
  const mutation = useMutation({
    mutationFn: options.save,
    onSuccess: (saved) => {
      const route = options.page(saved);
      queryClient.setQueryData([route.name, saved.id], saved);
      void queryClient.invalidateQueries();
      finish(route);
    },
  });
  const inFlight = useRef(false);
  /** Saves; resolves true once saved (its page is open), false when the save failed or one was under way. */
  const submit = (input: I, remap: (fields: FieldError[]) => FieldError[]) =>
    new Promise<boolean>((resolve) => {
      if (inFlight.current) return resolve(false);
      inFlight.current = true;
      setFailure(null);
      mutation.mutate(input, {
        onSettled: () => {
          inFlight.current = false;
        },
        onSuccess: () => resolve(true),
        onError: (e) => {
          const err = toIpcError(e);
          setErrors(err.kind === 'invalid' ? fieldErrorMap(remap(err.fields)) : {});
          setFailure(err);
          resolve(false);
        },
      });
    });
  return { errors, failure, setFailure, saving: mutation.isPending, submit };
}
