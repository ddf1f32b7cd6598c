import { describe, expect, it } from 'vitest';
import { sha256Hex, toHex } from '../src/hash';

describe('sha256Hex', () => {
  it('gives the standard SHA-256 of bytes as lower-case hex', async () => {
    const abc = new TextEncoder().encode('abc');
    expect(await sha256Hex(abc)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashes a Blob the same as its bytes', async () => {
    const bytes = new Uint8Array(100_000).map((_, i) => i % 251);
    expect(await sha256Hex(new Blob([bytes], { type: 'image/jpeg' }))).toBe(await sha256Hex(bytes.buffer));
  });

  it('refuses clearly when WebCrypto is unavailable (page not served over HTTPS)', async () => {
    await expect(sha256Hex(new Uint8Array([1]), null)).rejects.toMatchObject({ code: 'CRYPTO_UNAVAILABLE' });
  });

  it('formats bytes as two hex digits each', () => {
    expect(toHex(new Uint8Array([0, 15, 255]).buffer)).toBe('000fff');
  });
});
