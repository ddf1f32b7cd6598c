// Shapes of the capture API (docs/capture-api.md) as the widget sees them.

export type CaptureMode = 'photos' | 'video' | 'screen';
export type CaptureKind = 'PHOTOS' | 'VIDEO' | 'SCREEN';

export interface CaptureSession {
  id: string;
  nonce: string;
  kind: CaptureKind;
  expiresAt: string;
  maxItems: number;
  maxVideoSeconds: number;
  maxPhotoBytes: number;
  maxVideoBytes: number;
  locationRequired: boolean;
  deposit: { id: string };
}

export interface LocationFix {
  latitude: number;
  longitude: number;
  accuracyMeters: number;
  fixedAt: string;
}

export interface StageUploadInput {
  captureSessionId: string;
  sha256: string;
  size: number;
  contentType: string;
  capturedAt: string;
  location: LocationFix | null;
  noLocationReason: string | null;
}

export interface StagedUpload {
  itemId: string;
  uploadUrl: string;
  expiresAt: string;
}

export interface UploadedItem {
  id: string;
  sha256: string;
  size: number;
  mediaType: string;
  width: number | null;
  height: number | null;
  durationSeconds: number | null;
}

export interface Address {
  street: string;
  postcode: string;
  city: string;
  floor: string;
  flat: string;
  building: string;
  details: string;
}

export interface DepositDetails {
  title: string;
  address: Address;
  description: string;
}

export interface Quote {
  credits: number;
  rule: string;
  description: string;
  balance: number;
}

export interface Signature {
  fullName: string;
  imagePngBase64: string | null;
}

export interface SealedDeposit {
  id: string;
  reference: string;
  status: string;
  sealedAt: string;
  items: { id: string; sha256: string }[];
  certificateUrl: string | null;
}

/** Where the deposit's certified report stands (it is issued once every item is anchored). */
export interface CertificateInfo {
  status: 'NOT_SEALED' | 'PENDING' | 'ISSUED';
  url: string | null;
}

export const KIND_OF_MODE: Record<CaptureMode, CaptureKind> = {
  photos: 'PHOTOS',
  video: 'VIDEO',
  screen: 'SCREEN',
};

/** The mode attribute, defaulting to photos for anything unknown. */
export function parseMode(value: string | null | undefined): CaptureMode {
  return value === 'video' || value === 'screen' ? value : 'photos';
}
