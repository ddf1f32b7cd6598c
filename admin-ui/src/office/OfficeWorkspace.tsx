// The office workspace (CLERK, COMMISSAIRE): its own tabs and routes under /office.
import { Tabs } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Route, Routes, useLocation, useNavigate } from 'react-router';

import { NotFoundPage } from '../shell/NotFoundPage';
import { ConstatsPage } from './ConstatsPage';
import { NS } from './i18n';
import { OnSitePage } from './OnSitePage';
import { QueuePage } from './QueuePage';
import { ReviewPage } from './ReviewPage';
import { SettingsPage } from './SettingsPage';

const TABS = [
  { value: 'queue', label: 'tabs.queue' },
  { value: 'constats', label: 'tabs.constats' },
  { value: 'onsite', label: 'tabs.onsite' },
  { value: 'settings', label: 'tabs.settings' },
] as const;

export function OfficeWorkspace() {
  const { t } = useTranslation(NS);
  const navigate = useNavigate();
  const section = useLocation().pathname.replace(/^\/office\/?/, '').split('/')[0] ?? '';
  const current = section === 'review' || section === '' ? 'queue' : section;
  return (
    <>
      <Tabs value={current} onChange={(value) => void navigate(value === 'queue' ? '/office' : `/office/${value}`)} mb="md">
        <Tabs.List aria-label={t('tabs.label')}>
          {TABS.map((tab) => (
            <Tabs.Tab key={tab.value} value={tab.value}>
              {t(tab.label)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Routes>
        <Route index element={<QueuePage />} />
        <Route path="review/:id" element={<ReviewPage />} />
        <Route path="constats" element={<ConstatsPage />} />
        <Route path="onsite" element={<OnSitePage />} />
        <Route path="settings" element={<SettingsPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </>
  );
}
