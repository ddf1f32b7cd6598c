// Providers: theme, notifications, the GraphQL client (rebuilt on log in / log out), the session.
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RouterProvider } from 'react-router';
import { Provider as UrqlProvider, useQuery } from 'urql';

import i18n from './i18n';
import { createClient } from './lib/client';
import { SessionContext, VIEWER_QUERY } from './lib/viewer';
import { router } from './routes';
import { themeFor } from './theme';

function SessionProvider({ reset }: { reset: () => void }) {
  const [{ data, fetching, error }, reexecute] = useQuery({ query: VIEWER_QUERY, requestPolicy: 'network-only' });
  const viewer = data?.viewer ?? null;
  const session = useMemo(() => ({ viewer, reset }), [viewer, reset]);
  if (fetching && !data) return <div role="status" aria-live="polite" style={{ padding: 24 }}>{i18n.t('app.loading')}</div>;
  if (error && !data) {
    return (
      <div role="alert" style={{ padding: 24 }}>
        <p>{i18n.t('errors.network')}</p>
        <button type="button" onClick={() => reexecute()}>
          {i18n.t('app.retry')}
        </button>
      </div>
    );
  }
  return (
    <SessionContext.Provider value={session}>
      <RouterProvider router={router} />
    </SessionContext.Provider>
  );
}

export function App() {
  const [generation, setGeneration] = useState(0);
  const client = useMemo(() => createClient(() => i18n.language), [generation]); // eslint-disable-line react-hooks/exhaustive-deps
  const reset = useCallback(() => setGeneration((g) => g + 1), []);
  const { t, i18n: language } = useTranslation();
  const theme = useMemo(() => themeFor(t('common.close')), [t, language.language]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <MantineProvider theme={theme}>
      <Notifications position="top-right" />
      <UrqlProvider value={client}>
        <SessionProvider key={generation} reset={reset} />
      </UrqlProvider>
    </MantineProvider>
  );
}
