import { useState, type Dispatch, type SetStateAction } from 'react';

/**
 * A form's draft and whether it differs from what the form opened with (a change typed then undone is no
 * change): the form asks before being left with changes (`useLeaveGuard`).
 */
export function useDraft<D>(init: () => D): [D, Dispatch<SetStateAction<D>>, boolean] {
  const [initial] = useState(init);
  const [draft, setDraft] = useState<D>(initial);
  const dirty = draft !== initial && JSON.stringify(draft) !== JSON.stringify(initial);
  return [draft, setDraft, dirty];
}
