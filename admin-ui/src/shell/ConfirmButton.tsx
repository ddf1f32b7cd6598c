// A button that asks before doing something that cannot be undone.
import { Button, Group, Modal, Text, type ButtonProps } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';

export interface ConfirmButtonProps extends ButtonProps {
  title: string;
  text: React.ReactNode;
  confirm: string;
  onConfirm: () => Promise<unknown> | void;
  loading?: boolean;
  children: React.ReactNode;
}

export function ConfirmButton({ title, text, confirm, onConfirm, loading, children, ...button }: ConfirmButtonProps) {
  const { t } = useTranslation();
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Button {...button} onClick={open}>
        {children}
      </Button>
      <Modal opened={opened} onClose={close} closeButtonProps={{ 'aria-label': t('common.close') }} title={title} centered>
        <Text size="sm">{text}</Text>
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={close}>
            {t('common.cancel')}
          </Button>
          <Button
            color="red.9"
            loading={loading}
            onClick={async () => {
              await onConfirm();
              close();
            }}
          >
            {confirm}
          </Button>
        </Group>
      </Modal>
    </>
  );
}
