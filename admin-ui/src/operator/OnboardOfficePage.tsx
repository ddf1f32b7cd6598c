// Onboard a bailiff office: its identity, its directory entry and its first clerk, invited by
// email. Opened from a proposal, the name and city come filled in.
import { Alert, Button, Card, Group, NumberInput, SimpleGrid, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useMutation } from 'urql';

import { useAction } from '../lib/useAction';
import { CREATE_OFFICE } from './operations';

export function OnboardOfficePage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const [, create] = useMutation(CREATE_OFFICE);
  const { run, busy } = useAction();
  const [form, setForm] = useState({ name: params.get('name') ?? '', street: '', postcode: '', city: params.get('city') ?? '', siren: '', clerkEmail: '', contactEmail: '' });
  const [latitude, setLatitude] = useState<string | number>('');
  const [longitude, setLongitude] = useState<string | number>('');
  const [radius, setRadius] = useState<string | number>(50);
  const [price, setPrice] = useState<string | number>('');
  const [accepts, setAccepts] = useState(true);
  const [created, setCreated] = useState<{ name: string; clerk: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const field = (name: keyof typeof form) => ({
    value: form[name],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => {
      const value = e.currentTarget.value; // read now: the event is gone when the update runs
      setForm((f) => ({ ...f, [name]: value }));
    },
  });
  const number = (v: string | number) => (v === '' ? null : Number(v));

  return (
    <Stack>
      <Title order={1}>{t('operator.onboard.title')}</Title>
      <Text size="sm">{t('operator.onboard.intro')}</Text>
      {created && (
        <Alert color="teal" role="status" data-testid="office-created">
          {t('operator.onboard.created', { name: created.name, clerk: created.clerk })}
        </Alert>
      )}
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <Card
        withBorder
        component="form"
        onSubmit={(event: React.FormEvent) => {
          event.preventDefault();
          void run(
            () =>
              create({
                input: {
                  name: form.name,
                  street: form.street,
                  postcode: form.postcode,
                  city: form.city,
                  clerkEmail: form.clerkEmail,
                  siren: form.siren || null,
                  directory: {
                    latitude: number(latitude),
                    longitude: number(longitude),
                    serviceRadiusKm: number(radius),
                    acceptsDeposits: accepts,
                    constatPriceTtcCents: price === '' ? null : Math.round(Number(price) * 100),
                    contactEmail: form.contactEmail || null,
                  },
                },
              }),
            { success: 'BailiffOfficeCreated', pick: (d) => d.createBailiffOffice, notifyErrors: false },
          ).then((r) => {
            if (r.ok && r.value?.__typename === 'BailiffOfficeCreated') {
              setError(null);
              setCreated({ name: r.value.office.name, clerk: r.value.clerkInvited });
              setForm({ name: '', street: '', postcode: '', city: '', siren: '', clerkEmail: '', contactEmail: '' });
            } else {
              setCreated(null);
              setError(r.error);
            }
          });
        }}
      >
        <Stack>
          <Title order={2}>{t('operator.onboard.identity')}</Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('operator.onboard.name')} required {...field('name')} />
            <TextInput label="SIREN" description={t('operator.onboard.sirenHelp')} {...field('siren')} />
            <TextInput label={t('operator.onboard.street')} required {...field('street')} />
            <TextInput label={t('operator.onboard.postcode')} required {...field('postcode')} />
            <TextInput label={t('operator.onboard.city')} required {...field('city')} />
            <TextInput label={t('operator.onboard.contactEmail')} type="email" {...field('contactEmail')} />
          </SimpleGrid>
          <Title order={2}>{t('operator.onboard.directory')}</Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NumberInput label={t('operator.onboard.latitude')} description={t('operator.onboard.coordinatesHelp')} value={latitude} onChange={setLatitude} min={-90} max={90} decimalScale={6} />
            <NumberInput label={t('operator.onboard.longitude')} value={longitude} onChange={setLongitude} min={-180} max={180} decimalScale={6} />
            <NumberInput label={t('operator.onboard.radius')} value={radius} onChange={setRadius} min={1} max={1000} suffix=" km" />
            <NumberInput label={t('operator.onboard.price')} description={t('operator.onboard.priceHelp')} value={price} onChange={setPrice} min={0} decimalScale={2} suffix=" €" />
          </SimpleGrid>
          <Switch label={t('operator.onboard.accepts')} checked={accepts} onChange={(e) => setAccepts(e.currentTarget.checked)} />
          <Title order={2}>{t('operator.onboard.clerk')}</Title>
          <TextInput label={t('operator.onboard.clerkEmail')} description={t('operator.onboard.clerkHelp')} type="email" required {...field('clerkEmail')} />
          <Group>
            <Button type="submit" loading={busy}>
              {t('operator.onboard.submit')}
            </Button>
          </Group>
        </Stack>
      </Card>
    </Stack>
  );
}
