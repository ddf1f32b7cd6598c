import { describe, expect, it } from 'vitest';

import { en } from '../src/i18n/en';
import { fr } from '../src/i18n/fr';
import { keyBytes } from '../src/notifications/push';

describe('web push key', () => {
  it('turns the base64url VAPID key into the 65 bytes of a P-256 point', () => {
    const key = 'BN' + 'A'.repeat(85); // 87 characters, as the API gives it
    const bytes = keyBytes(key);
    expect(bytes.length).toBe(65);
    expect(bytes[0]).toBe(4);
  });
  it('reads the URL-safe alphabet', () => {
    expect(Array.from(keyBytes('-_8'))).toEqual([0xfb, 0xff]);
  });
});

describe('notification texts', () => {
  it('names every kind the API sends in both languages', () => {
    const kinds = ['deposit_sealed', 'certificate_issued', 'submission_accepted', 'submission_rejected', 'constat_issued', 'onsite_quoted', 'credits_low', 'submission_received', 'invitation_accepted', 'constat_awaiting_validation', 'onsite_answered', 'submission_due_soon'];
    for (const kind of kinds) {
      expect(fr.notifications.kinds).toHaveProperty(kind);
      expect(en.notifications.kinds).toHaveProperty(kind);
    }
  });
});
