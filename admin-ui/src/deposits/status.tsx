import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import type { DepositStatus, SubmissionStatus } from '../gql/graphql';

const COLOURS: Record<string, string> = {
  DRAFT: 'gray.8',
  SEALED: 'indigo.9',
  SUBMITTED: '#a63c06',
  IN_REVIEW: '#a63c06',
  ACCEPTED: '#1e6b30',
  PARTIALLY_ACCEPTED: 'teal.9',
  REJECTED: 'red.9',
  DELETED: 'gray.8',
};

export function DepositStatusBadge({ status }: { status: DepositStatus | SubmissionStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={COLOURS[status] ?? "gray.8"} variant="filled" tt="none" styles={{ root: { flexShrink: 0, maxWidth: 'none', overflow: 'visible' }, label: { overflow: 'visible', textOverflow: 'clip' } }} data-status={status}>
      {t(`status.${status}`)}
    </Badge>
  );
}
