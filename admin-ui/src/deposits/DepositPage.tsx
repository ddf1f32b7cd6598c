import { Title } from '@mantine/core';

export function DepositPage() {
  return <Title order={1}>DepositPage</Title>;
}
