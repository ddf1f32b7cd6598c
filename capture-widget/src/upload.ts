// PUT of an item's bytes to its staged URL, with progress, and bounded retry after network loss.

import { widgetError, WidgetError } from './errors';
import type { Lang } from './i18n';
import type { UploadedItem } from './types';

export interface PutRequest {
  url: string;
  body: Blob;
  contentType: string;
  headers: Record<string, string>;
  withCookies: boolean;
  onProgress: (fraction: number) => void;
}

export interface PutResponse {
  /** 0 when the request never got an answer (network loss, CORS refusal, abort). */
  status: number;
  text: string;
}

export type Put = (request: PutRequest) => Promise<PutResponse>;

/** PUT with XMLHttpRequest, the only browser API that reports upload progress. */
export const xhrPut: Put = (request) =>
  new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', request.url);
    xhr.withCredentials = request.withCookies;
    xhr.setRequestHeader('Content-Type', request.contentType);
    for (const [name, value] of Object.entries(request.headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) request.onProgress(event.loaded / event.total);
    };
    xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText });
    xhr.onerror = () => resolve({ status: 0, text: '' });
    xhr.ontimeout = () => resolve({ status: 0, text: '' });
    xhr.send(request.body);
  });

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 1000, maxDelayMs: 15000 };

/** Exponential backoff: base, 2×base, 4×base… capped. `attempt` counts from 1 (the first retry). */
export function backoffDelay(attempt: number, policy: RetryPolicy = DEFAULT_RETRY): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
}

/** Whether a status means "try again later" rather than "this will never work". */
export function isTransient(status: number): boolean {
  return status === 0 || status === 408 || status === 429 || status >= 500;
}

export interface UploadOptions {
  request: Omit<PutRequest, 'onProgress'>;
  lang: Lang;
  put?: Put;
  policy?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
  onProgress?: (fraction: number) => void;
  /** Told before each retry, so the person sees that the widget is waiting for the network. */
  onRetry?: (attempt: number, delayMs: number) => void;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Uploads one item; resolves with the server's item, or rejects with a typed WidgetError. */
export async function uploadWithRetry(options: UploadOptions): Promise<UploadedItem | null> {
  const put = options.put ?? xhrPut;
  const policy = options.policy ?? DEFAULT_RETRY;
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    const response = await put({ ...options.request, onProgress: (f) => options.onProgress?.(f) });
    if (response.status >= 200 && response.status < 300) {
      options.onProgress?.(1);
      return parseItem(response.text);
    }
    const error = parseError(response, options.lang);
    // A lost answer to a PUT that did arrive: the server already holds exactly these bytes.
    if (error.code === 'ALREADY_UPLOADED' && attempt > 1) return null;
    if (!isTransient(response.status) || attempt >= policy.attempts) throw error;
    const delay = backoffDelay(attempt, policy);
    options.onRetry?.(attempt, delay);
    await sleep(delay);
  }
}

function parseItem(text: string): UploadedItem | null {
  try {
    const body = JSON.parse(text) as { item?: UploadedItem };
    return body.item ?? null;
  } catch {
    return null;
  }
}

function parseError(response: PutResponse, lang: Lang): WidgetError {
  if (response.status === 0) return widgetError('NETWORK', lang, null, true);
  try {
    const body = JSON.parse(response.text) as { error?: { code?: string; message?: string } };
    if (body.error?.code) return widgetError(body.error.code, lang, body.error.message ?? null, isTransient(response.status));
  } catch {
    // Not JSON (a proxy's error page): fall back on the status.
  }
  const code = response.status === 401 ? 'NOT_AUTHENTICATED' : response.status === 403 ? 'NOT_ALLOWED' : 'SERVER_ERROR';
  return widgetError(code, lang, null, isTransient(response.status));
}
