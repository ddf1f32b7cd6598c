// Components rendered as a page shows them (Mantine, i18n), without a server.
import { MantineProvider, Notification } from '@mantine/core';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import { ItemsList } from '../src/deposits/ItemsList';
import i18n from '../src/i18n';
import { parseDay, showDay } from '../src/shell/DayInput';
import { themeFor } from '../src/theme';

beforeAll(() => {
  // Mantine reads media queries; happy-dom has no matchMedia of its own.
  window.matchMedia ??= ((query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => undefined,
    removeListener: () => undefined,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    dispatchEvent: () => false,
  })) as typeof window.matchMedia;
});
afterEach(cleanup);

const ITEM = {
  id: 'i1',
  sha256: 'ab'.repeat(32),
  size: 1234,
  mediaType: 'image/jpeg',
  capturedAt: '2026-12-02T13:05:09Z',
  receivedAt: '2026-12-02T13:05:11Z',
  clockSkewFlagged: false,
  location: { latitude: 48.8566, longitude: 2.3522, accuracyMeters: 12 },
  noLocationReason: null,
  comment: '',
  downloadUrl: null,
  thumbnailUrl: null,
};

describe('a deposit item as its page shows it', () => {
  it('gives both clocks with their zone named, in French then English', async () => {
    await i18n.changeLanguage('fr');
    const { rerender } = render(
      <MantineProvider>
        <ItemsList items={[ITEM] as never} />
      </MantineProvider>,
    );
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const times = screen.getAllByText((text) => text.includes(`(${zone})`));
    expect(times).toHaveLength(2);
    expect(times[0].textContent).toMatch(/déc\. 2026/);
    await i18n.changeLanguage('en');
    rerender(
      <MantineProvider>
        <ItemsList items={[ITEM] as never} />
      </MantineProvider>,
    );
    expect(screen.getAllByText((text) => text.includes(`(${zone})`))[0].textContent).toMatch(/Dec 2026/);
  });
});

describe('days typed as dd/mm/yyyy', () => {
  it('reads the French order whatever the browser language', () => {
    expect(parseDay('24/12/2026')).toBe('2026-12-24');
    expect(parseDay('1.2.2027')).toBe('2027-02-01');
    expect(parseDay('  ')).toBeNull();
    expect(showDay('2026-12-24')).toBe('24/12/2026');
  });
  it('refuses what is not a day', () => {
    expect(parseDay('12/24/2026')).toBe('invalid');
    expect(parseDay('31/02/2026')).toBe('invalid');
    expect(parseDay('2026-12-24')).toBe('invalid');
  });
});

describe('the archive as CSV', () => {
  it('quotes what needs it and defuses spreadsheet formulas', async () => {
    const { archiveCsv, csvCell } = await import('../src/deposits/csv');
    expect(csvCell('Fissures, façade "nord"')).toBe('"Fissures, façade ""nord"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-2')).toBe("'-2");
    const text = archiveCsv(
      [{ reference: 'PRB-1', title: 'Toit', status: 'SEALED', kind: 'PHOTO', createdAt: '2026-12-01T10:00:00Z', sealedAt: null, address: { city: 'Paris' }, items: [1, 2] }],
      ['Référence', 'Titre', 'Statut', 'Type', 'Créé', 'Scellé', 'Ville', 'Médias'],
      (status) => (status === 'SEALED' ? 'Scellé' : status),
    );
    expect(text.startsWith('\uFEFFRéférence,Titre')).toBe(true);
    expect(text.split('\r\n')[1]).toBe('PRB-1,Toit,Scellé,PHOTO,2026-12-01T10:00:00Z,,Paris,2');
  });
});

describe('notifications', () => {
  it('name their close button in the viewer\'s language (axe: button-name)', () => {
    for (const label of ['Fermer', 'Close']) {
      render(
        <MantineProvider theme={themeFor(label)}>
          <Notification onClose={() => undefined}>Rôle modifié.</Notification>
        </MantineProvider>,
      );
      expect(screen.getByRole('button', { name: label })).toBeTruthy();
      cleanup();
    }
  });
});
