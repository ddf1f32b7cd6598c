// One way to run a mutation and tell the person what happened (success or the API's message).
import { notifications } from '@mantine/notifications';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useClient, type OperationResult } from 'urql';

import { BALANCE_QUERY } from './viewer';

import { messageOf, type Typed } from './outcome';

export interface ActionOptions<D, T> {
  /** The payload's `__typename`: anything else is a typed error, shown with its message. */
  success: string | string[];
  /** Pick the union out of the mutation's data. */
  pick: (data: D) => T | null | undefined;
  /** Said in a green notification when it worked. */
  done?: string;
  /** Show errors as notifications (default) or only return them for a form to display. */
  notifyErrors?: boolean;
}

export interface ActionResult<T> {
  ok: boolean;
  value: T | null;
  error: string | null;
}

export function useAction() {
  const { t } = useTranslation();
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async <D, T extends Typed>(
      start: () => Promise<OperationResult<D>>,
      options: ActionOptions<D, T>,
    ): Promise<ActionResult<T>> => {
      setBusy(true);
      try {
        const result = await start();
        const accepted = Array.isArray(options.success) ? options.success : [options.success];
        let error: string | null = null;
        let value: T | null = null;
        if (result.error) {
          error = result.error.networkError ? t('errors.network') : t('errors.unexpected');
        } else if (result.data) {
          value = options.pick(result.data) ?? null;
          if (!value || !accepted.includes(value.__typename ?? '')) error = messageOf(value) ?? t('errors.unexpected');
        }
        if (error && options.notifyErrors !== false) notifications.show({ color: 'red', message: error });
        if (!error && options.done) notifications.show({ color: 'green', message: options.done });
        // Most changes move credits (buying, transferring, sealing, submitting): the header's
        // balance is a bare number the document cache cannot tie to them, so ask again.
        if (!error) void client.query(BALANCE_QUERY, {}, { requestPolicy: 'network-only' }).toPromise();
        return { ok: !error, value, error };
      } finally {
        setBusy(false);
      }
    },
    [t, client],
  );
  return { run, busy };
}
