import { describe, expect, it } from 'vitest';
import { codeOfTypename, explain, isKnownCode, widgetError } from '../src/errors';

const CONTRACT_TYPENAMES = [
  'NotAuthenticated', 'NotAllowed', 'NotFound', 'InvalidInput', 'EmailNotVerified', 'CaptureSessionExpired',
  'ItemLimitReached', 'InsufficientCredits', 'QuoteChanged', 'AlreadySealed',
];
const UPLOAD_CODES = [
  'HASH_MISMATCH', 'UNSUPPORTED_MEDIA', 'TOO_LARGE', 'EMPTY', 'VIDEO_TOO_LONG', 'CORRUPT_MEDIA',
  'SESSION_EXPIRED', 'NOT_ALLOWED', 'ALREADY_UPLOADED',
];

describe('typed errors', () => {
  it('turn GraphQL error types into codes', () => {
    expect(codeOfTypename('CaptureSessionExpired')).toBe('CAPTURE_SESSION_EXPIRED');
    expect(codeOfTypename('NotAllowed')).toBe('NOT_ALLOWED');
    expect(codeOfTypename('EmailNotVerified')).toBe('EMAIL_NOT_VERIFIED');
  });

  it('have their own French and English message for every error of the contract', () => {
    for (const code of [...CONTRACT_TYPENAMES.map(codeOfTypename), ...UPLOAD_CODES]) {
      expect(isKnownCode(code), code).toBe(true);
      const fr = explain(code, 'fr');
      const en = explain(code, 'en');
      expect(fr, code).not.toBe(en);
      expect(fr.length, code).toBeGreaterThan(10);
      expect(fr, code).not.toBe(explain('SERVER_ERROR', 'fr'));
    }
  });

  it("keep the server's message for an error the widget does not know", () => {
    expect(explain('PLAN_SUSPENDED', 'fr', 'Votre abonnement est suspendu.')).toBe('Votre abonnement est suspendu.');
    expect(explain('PLAN_SUSPENDED', 'en', '  ')).toBe(explain('SERVER_ERROR', 'en'));
  });

  it('carry code, message and whether a retry may help', () => {
    const error = widgetError('NETWORK', 'en', null, true);
    expect(error.code).toBe('NETWORK');
    expect(error.message).toContain('Cannot reach the server');
    expect(error.retryable).toBe(true);
  });
});
