import { describe, expect, it } from 'vitest';
import { emptyDetails } from '../src/flow';
import {
  byteLimit, canCaptureMore, countdownSteps, itemLimit, pickVideoType, screenCaptureSupported, secondsLeft, validateDetails, validFullName,
} from '../src/limits';

const SESSION = { maxItems: 20, maxPhotoBytes: 100, maxVideoBytes: 1000 };

describe('session limits', () => {
  it('allow up to the plan’s photos, and one video or screen recording', () => {
    expect(itemLimit('photos', SESSION)).toBe(20);
    expect(itemLimit('video', SESSION)).toBe(1);
    expect(itemLimit('screen', SESSION)).toBe(1);
    expect(canCaptureMore('photos', SESSION, 19)).toBe(true);
    expect(canCaptureMore('photos', SESSION, 20)).toBe(false);
    expect(canCaptureMore('video', SESSION, 1)).toBe(false);
  });

  it('pick the byte limit by content type', () => {
    expect(byteLimit('image/jpeg', SESSION)).toBe(100);
    expect(byteLimit('video/webm', SESSION)).toBe(1000);
  });

  it('count the seconds left before the hard stop, never below zero', () => {
    expect(secondsLeft(0, 0, 30)).toBe(30);
    expect(secondsLeft(0, 200, 30)).toBe(30);
    expect(secondsLeft(0, 29_100, 30)).toBe(1);
    expect(secondsLeft(0, 31_000, 30)).toBe(0);
  });

  it('count down 3, 2, 1', () => {
    expect(countdownSteps()).toEqual([3, 2, 1]);
  });
});

describe('browser support', () => {
  const desktop = { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140', mediaDevices: { getDisplayMedia: () => undefined } };

  it('offers screen recording on desktop browsers with getDisplayMedia only', () => {
    expect(screenCaptureSupported(desktop)).toBe(true);
    expect(screenCaptureSupported({ ...desktop, userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel) Mobile' })).toBe(false);
    expect(screenCaptureSupported({ ...desktop, mediaDevices: {} })).toBe(false);
  });

  it('records WebM, preferring VP9 with sound', () => {
    expect(pickVideoType(() => true)).toBe('video/webm;codecs=vp9,opus');
    expect(pickVideoType((type) => type === 'video/webm')).toBe('video/webm');
    expect(pickVideoType(() => false)).toBeNull();
  });
});

describe('the title-and-address form', () => {
  it('requires a title, a street, a postcode and a city', () => {
    expect(validateDetails(emptyDetails())).toEqual({ title: 'required', street: 'required', postcode: 'required', city: 'required' });
  });

  it('accepts a complete address, floor, flat and building being optional', () => {
    const details = emptyDetails();
    details.title = 'Dégât des eaux';
    Object.assign(details.address, { street: '12 rue des Lilas', postcode: '69003', city: 'Lyon' });
    expect(validateDetails(details)).toEqual({});
  });

  it('refuses a postcode that cannot be one', () => {
    const details = emptyDetails();
    Object.assign(details.address, { postcode: '<script>' });
    expect(validateDetails(details).postcode).toBe('invalidPostcode');
  });

  it('wants a signer name with letters', () => {
    expect(validFullName('Élise Dupont')).toBe(true);
    expect(validFullName(' 1 ')).toBe(false);
  });
});
