// The capture session's limits and the form's rules, as pure functions.

import type { CaptureMode, CaptureSession, DepositDetails } from './types';

/** How many items the mode allows in this session: a video or a screen recording is one item. */
export function itemLimit(mode: CaptureMode, session: Pick<CaptureSession, 'maxItems'>): number {
  return mode === 'photos' ? Math.max(0, session.maxItems) : Math.min(1, Math.max(0, session.maxItems));
}

/** Whether one more item may be captured. */
export function canCaptureMore(mode: CaptureMode, session: Pick<CaptureSession, 'maxItems'>, count: number): boolean {
  return count < itemLimit(mode, session);
}

/** The byte limit for one item of this content type, from the session. */
export function byteLimit(contentType: string, session: Pick<CaptureSession, 'maxPhotoBytes' | 'maxVideoBytes'>): number {
  return contentType.startsWith('video/') ? session.maxVideoBytes : session.maxPhotoBytes;
}

/** Seconds left before the hard stop, rounded up so the display never shows 0 while recording. */
export function secondsLeft(startedAtMs: number, nowMs: number, maxSeconds: number): number {
  return Math.max(0, Math.ceil(maxSeconds - (nowMs - startedAtMs) / 1000));
}

/** The numbers of a countdown before recording: 3, 2, 1. */
export function countdownSteps(from = 3): number[] {
  return Array.from({ length: Math.max(0, from) }, (_, i) => from - i);
}

/** Screen recording needs getDisplayMedia and a desktop (mobile browsers lack or fake it). */
export function screenCaptureSupported(nav: { userAgent?: string; mediaDevices?: unknown; maxTouchPoints?: number }): boolean {
  const devices = nav.mediaDevices as { getDisplayMedia?: unknown } | undefined;
  if (!devices || typeof devices.getDisplayMedia !== 'function') return false;
  return !/Android|iPhone|iPad|iPod|Mobile/i.test(nav.userAgent ?? '');
}

/** The MediaRecorder type to use: the first WebM variant the browser supports. */
export function pickVideoType(isSupported: (type: string) => boolean): string | null {
  for (const type of ['video/webm;codecs=vp9,opus', 'video/webm;codecs=vp8,opus', 'video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm']) {
    if (isSupported(type)) return type;
  }
  return null;
}

export type DetailsField = 'title' | 'street' | 'postcode' | 'city';
export type DetailsProblem = 'required' | 'invalidPostcode';

/** Problems of the title-and-address form, by field; empty when it can be sent. */
export function validateDetails(details: DepositDetails): Partial<Record<DetailsField, DetailsProblem>> {
  const problems: Partial<Record<DetailsField, DetailsProblem>> = {};
  if (!details.title.trim()) problems.title = 'required';
  if (!details.address.street.trim()) problems.street = 'required';
  if (!details.address.city.trim()) problems.city = 'required';
  const postcode = details.address.postcode.trim();
  if (!postcode) problems.postcode = 'required';
  // French postcodes are 5 digits; elsewhere accept the usual letters, digits, spaces and dashes.
  else if (!/^[A-Za-z0-9][A-Za-z0-9 -]{1,9}$/.test(postcode)) problems.postcode = 'invalidPostcode';
  return problems;
}

/** A signer's typed name is usable when it has at least two letters. */
export function validFullName(name: string): boolean {
  return (name.match(/\p{L}/gu) ?? []).length >= 2;
}
