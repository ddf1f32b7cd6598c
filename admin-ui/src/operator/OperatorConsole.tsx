// The operator console (role OPERATOR): its own tabs and routes under /operator.
import { Tabs } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Route, Routes, useLocation, useNavigate } from 'react-router';

import { NotFoundPage } from '../shell/NotFoundPage';
import { AnchoringPage } from './AnchoringPage';
import { AuditLogPage } from './AuditLogPage';
import { CataloguePage } from './CataloguePage';
import { OnboardOfficePage } from './OnboardOfficePage';
import { OrganisationPage } from './OrganisationPage';
import { OrganisationsPage } from './OrganisationsPage';
import { ProposalsPage } from './ProposalsPage';

const TABS = ['organisations', 'onboard', 'proposals', 'catalogue', 'audit', 'anchoring'] as const;

export function OperatorConsole() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const section = useLocation().pathname.replace(/^\/operator\/?/, '').split('/')[0] ?? '';
  const current = section === '' ? 'organisations' : section;
  return (
    <>
      <Tabs value={current} onChange={(value) => void navigate(value === 'organisations' ? '/operator' : `/operator/${value}`)} mb="md">
        <Tabs.List aria-label={t('operator.tabs.label')}>
          {TABS.map((tab) => (
            <Tabs.Tab key={tab} value={tab}>
              {t(`operator.tabs.${tab}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Routes>
        <Route index element={<OrganisationsPage />} />
        <Route path="organisations" element={<OrganisationsPage />} />
        <Route path="organisations/:id" element={<OrganisationPage />} />
        <Route path="onboard" element={<OnboardOfficePage />} />
        <Route path="proposals" element={<ProposalsPage />} />
        <Route path="catalogue" element={<CataloguePage />} />
        <Route path="audit" element={<AuditLogPage />} />
        <Route path="anchoring" element={<AnchoringPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </>
  );
}
