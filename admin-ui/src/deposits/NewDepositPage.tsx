import { Title } from '@mantine/core';

export function NewDepositPage() {
  return <Title order={1}>NewDepositPage</Title>;
}
