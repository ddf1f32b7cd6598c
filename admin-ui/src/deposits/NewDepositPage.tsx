// The capture component itself, with the viewer's session (no widget key on our own origin).
import { Alert, Anchor, Button, Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQuery } from 'urql';

import { graphql } from '../gql';
import { useViewer } from '../lib/viewer';
import { Loading } from '../shell/Loading';
import { loadWidget, type SealedDetail } from './widget';

const PRICE = graphql(`
  query CapturePrice {
    depositQuoteFor(photos: 1) {
      credits
      description
      balance
    }
  }
`);

const MODES = ['photos', 'video', 'screen'] as const;
type Mode = (typeof MODES)[number];

export function NewDepositPage() {
  const { t, i18n } = useTranslation();
  const viewer = useViewer();
  const [mode, setMode] = useState<Mode>('photos');
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');
  const [sealed, setSealed] = useState<SealedDetail | null>(null);
  const [generation, setGeneration] = useState(0);
  const element = useRef<HTMLElement>(null);
  const [{ data: price }, refetchPrice] = useQuery({ query: PRICE });

  useEffect(() => {
    loadWidget().then(
      () => setState('ready'),
      () => setState('failed'),
    );
  }, []);

  useEffect(() => {
    const node = element.current;
    if (!node) return;
    const onSealed = (event: Event) => {
      setSealed((event as CustomEvent<SealedDetail>).detail);
      refetchPrice({ requestPolicy: 'network-only' });
    };
    node.addEventListener('probant:sealed', onSealed);
    return () => node.removeEventListener('probant:sealed', onSealed);
  }, [state, generation, refetchPrice]);

  return (
    <Stack>
      <Title order={1}>{t('capture.title')}</Title>
      {!viewer.user.emailVerified && <Alert color="orange">{t('auth.emailNotVerified')}</Alert>}
      {price && (
        <Text data-testid="capture-price">
          {t('capture.price', { description: price.depositQuoteFor.description, count: price.depositQuoteFor.balance })}
        </Text>
      )}
      <Group>
        <SegmentedControl
          aria-label={t('capture.mode')}
          value={mode}
          disabled={!!sealed}
          onChange={(value) => {
            setMode(value as Mode);
            setGeneration((g) => g + 1);
          }}
          data={MODES.map((m) => ({ value: m, label: t(`capture.modes.${m}`) }))}
        />
      </Group>
      {sealed && (
        <Alert color="green" role="status" title={t('capture.sealedTitle', { reference: sealed.reference })}>
          <Group>
            <Anchor component={Link} to={`/deposits/${sealed.depositId}`}>
              {t('capture.openDeposit')}
            </Anchor>
            <Button
              size="xs"
              variant="light"
              onClick={() => {
                setSealed(null);
                setGeneration((g) => g + 1);
              }}
            >
              {t('capture.another')}
            </Button>
          </Group>
        </Alert>
      )}
      {state === 'loading' && <Loading />}
      {state === 'failed' && <Alert color="red">{t('capture.unavailable')}</Alert>}
      {state === 'ready' && <probant-capture key={`${mode}-${generation}`} ref={element} mode={mode} lang={i18n.language} />}
    </Stack>
  );
}
