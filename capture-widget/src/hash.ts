// SHA-256 of captured media, computed on the device with WebCrypto before anything is sent.

import { WidgetError } from './errors';

/** Lower-case hex of bytes. */
export function toHex(bytes: ArrayBuffer): string {
  let out = '';
  for (const byte of new Uint8Array(bytes)) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** The SHA-256 of a blob or buffer, as lower-case hex (the form the server compares). */
export async function sha256Hex(data: Blob | ArrayBuffer | Uint8Array, subtle: SubtleCrypto | null = globalThis.crypto?.subtle ?? null): Promise<string> {
  // WebCrypto exists only in secure contexts (HTTPS or localhost).
  if (!subtle) throw new WidgetError('CRYPTO_UNAVAILABLE', 'WebCrypto is unavailable');
  const buffer = data instanceof Uint8Array ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(await data.arrayBuffer());
  return toHex(await subtle.digest('SHA-256', buffer as Uint8Array<ArrayBuffer>));
}
