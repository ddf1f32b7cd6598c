// The capture flow as a pure state machine: the DOM code dispatches events and renders states.

import { canCaptureMore, validFullName } from './limits';
import type { CaptureMode, CaptureSession, CertificateInfo, DepositDetails, LocationFix, Quote, SealedDeposit, Signature } from './types';

export type Step =
  | 'intro'
  | 'starting'
  | 'locationBlocked'
  | 'capture'
  | 'review'
  | 'details'
  | 'sign'
  | 'confirm'
  | 'sealing'
  | 'sealed'
  | 'failed';

/** The steps shown in the progress list, in order. */
export const VISIBLE_STEPS = ['capture', 'review', 'details', 'sign', 'confirm', 'sealed'] as const;

export interface Problem {
  code: string;
  message: string;
}

export type ItemStatus = 'hashing' | 'uploading' | 'retrying' | 'uploaded' | 'failed';

export interface CaptureItem {
  localId: string;
  blob: Blob;
  previewUrl: string;
  contentType: string;
  capturedAt: string;
  location: LocationFix | null;
  noLocationReason: string | null;
  sha256: string | null;
  status: ItemStatus;
  progress: number;
  itemId: string | null;
  comment: string;
  error: Problem | null;
}

export type LocationState =
  | { state: 'pending' }
  | { state: 'fixed'; fix: LocationFix }
  | { state: 'unavailable'; reason: string };

export type RecorderState = { phase: 'idle' } | { phase: 'countdown'; n: number } | { phase: 'recording'; left: number };

export interface FlowState {
  step: Step;
  mode: CaptureMode;
  session: CaptureSession | null;
  location: LocationState;
  recorder: RecorderState;
  items: CaptureItem[];
  details: DepositDetails;
  quote: Quote | null;
  signature: Signature | null;
  attested: boolean;
  sealed: SealedDeposit | null;
  /** The certified report of the sealed deposit, as last polled. */
  certificate: CertificateInfo | null;
  /** The latest problem to show in the alert region (fatal when step is 'failed'). */
  problem: Problem | null;
}

export type FlowEvent =
  | { type: 'START' }
  | { type: 'SESSION_STARTED'; session: CaptureSession }
  | { type: 'SESSION_RESUMED'; session: CaptureSession; items: CaptureItem[]; details: DepositDetails }
  | { type: 'LOCATION'; location: LocationState }
  | { type: 'CAMERA_READY' }
  | { type: 'RECORDER'; recorder: RecorderState }
  | { type: 'ITEM_ADDED'; item: CaptureItem }
  | { type: 'ITEM_HASHED'; localId: string; sha256: string }
  | { type: 'ITEM_PROGRESS'; localId: string; progress: number }
  | { type: 'ITEM_RETRYING'; localId: string }
  | { type: 'ITEM_UPLOADED'; localId: string; itemId: string }
  | { type: 'ITEM_FAILED'; localId: string; problem: Problem }
  | { type: 'ITEM_REMOVED'; localId: string }
  | { type: 'COMMENT'; localId: string; comment: string }
  | { type: 'NEXT' }
  | { type: 'BACK' }
  | { type: 'DETAILS_CHANGED'; details: DepositDetails }
  | { type: 'DETAILS_SAVED' }
  | { type: 'QUOTED'; quote: Quote | null }
  | { type: 'SIGNED'; signature: Signature }
  | { type: 'ATTEST'; attested: boolean }
  | { type: 'SEAL' }
  | { type: 'SEALED'; deposit: SealedDeposit }
  | { type: 'CERTIFICATE'; certificate: CertificateInfo }
  | { type: 'PROBLEM'; problem: Problem | null }
  | { type: 'FAILED'; problem: Problem }
  | { type: 'RESET'; mode?: CaptureMode };

export function emptyDetails(): DepositDetails {
  return { title: '', address: { street: '', postcode: '', city: '', floor: '', flat: '', building: '', details: '' }, description: '' };
}

/** The state before the person has done anything. */
export function initialState(mode: CaptureMode): FlowState {
  return {
    step: 'intro',
    mode,
    session: null,
    location: { state: 'pending' },
    recorder: { phase: 'idle' },
    items: [],
    details: emptyDetails(),
    quote: null,
    signature: null,
    attested: false,
    sealed: null,
    certificate: null,
    problem: null,
  };
}

/** Problems after which this capture session cannot go on: the person starts again. */
export const FATAL_CODES: ReadonlySet<string> = new Set([
  'CAPTURE_SESSION_EXPIRED',
  'SESSION_EXPIRED',
  'NOT_AUTHENTICATED',
  'EMAIL_NOT_VERIFIED',
  'CONFIGURATION',
]);

const failed = (state: FlowState, problem: Problem): FlowState => ({ ...state, step: 'failed', problem, recorder: { phase: 'idle' } });

/** Whether the session's location rule forbids capturing now. */
export function locationBlocks(state: FlowState): boolean {
  return !!state.session?.locationRequired && state.location.state === 'unavailable';
}

/** Whether the shutter (or the record button) may be used. */
export function mayCapture(state: FlowState): boolean {
  return (
    state.step === 'capture' &&
    !!state.session &&
    state.recorder.phase === 'idle' &&
    !locationBlocks(state) &&
    canCaptureMore(state.mode, state.session, state.items.length)
  );
}

/** Whether every item reached the server, so the deposit can be described and sealed. */
export function allUploaded(state: FlowState): boolean {
  return state.items.length > 0 && state.items.every((item) => item.status === 'uploaded');
}

/** The location fields a new item carries: the latest fix, or why there is none. */
export function locationOfNewItem(state: FlowState): { location: LocationFix | null; noLocationReason: string | null } {
  if (state.location.state === 'fixed') return { location: state.location.fix, noLocationReason: null };
  return { location: null, noLocationReason: state.location.state === 'unavailable' ? state.location.reason : 'PENDING' };
}

const updateItem = (state: FlowState, localId: string, change: Partial<CaptureItem>): FlowState => ({
  ...state,
  items: state.items.map((item) => (item.localId === localId ? { ...item, ...change } : item)),
});

/** The next state; events that make no sense in the current step leave the state unchanged. */
export function transition(state: FlowState, event: FlowEvent): FlowState {
  switch (event.type) {
    case 'START':
      return state.step === 'intro' || state.step === 'failed' || state.step === 'locationBlocked'
        ? { ...initialState(state.mode), step: 'starting' }
        : state;
    case 'SESSION_STARTED':
      return state.step === 'starting' ? { ...state, session: event.session } : state;
    case 'SESSION_RESUMED':
      return state.step === 'starting' ? { ...state, session: event.session, items: event.items, details: event.details } : state;
    case 'LOCATION':
      return { ...state, location: event.location };
    case 'CAMERA_READY':
      if (state.step !== 'starting' || !state.session) return state;
      return { ...state, step: locationBlocks(state) ? 'locationBlocked' : 'capture' };
    case 'RECORDER':
      return state.step === 'capture' ? { ...state, recorder: event.recorder } : state;
    case 'ITEM_ADDED':
      if (state.step !== 'capture' || !state.session || !canCaptureMore(state.mode, state.session, state.items.length)) return state;
      return { ...state, items: [...state.items, event.item], recorder: { phase: 'idle' } };
    case 'ITEM_HASHED':
      return updateItem(state, event.localId, { sha256: event.sha256, status: 'uploading', progress: 0 });
    case 'ITEM_PROGRESS':
      return updateItem(state, event.localId, { progress: Math.min(1, Math.max(0, event.progress)) });
    case 'ITEM_RETRYING':
      return updateItem(state, event.localId, { status: 'retrying', error: null });
    case 'ITEM_UPLOADED':
      return updateItem(state, event.localId, { status: 'uploaded', progress: 1, itemId: event.itemId, error: null });
    case 'ITEM_FAILED':
      if (FATAL_CODES.has(event.problem.code)) return failed(state, event.problem);
      return updateItem(state, event.localId, { status: 'failed', error: event.problem });
    case 'ITEM_REMOVED': {
      if (!['capture', 'review'].includes(state.step)) return state;
      const items = state.items.filter((item) => item.localId !== event.localId);
      // Without items there is nothing to review: go back to the camera.
      return { ...state, items, step: items.length === 0 ? 'capture' : state.step };
    }
    case 'COMMENT':
      return state.step === 'review' ? updateItem(state, event.localId, { comment: event.comment }) : state;
    case 'NEXT':
      return next(state);
    case 'BACK':
      return back(state);
    case 'DETAILS_CHANGED':
      return state.step === 'details' ? { ...state, details: event.details } : state;
    case 'DETAILS_SAVED':
      return state.step === 'details' ? { ...state, step: 'sign', problem: null } : state;
    case 'QUOTED':
      return { ...state, quote: event.quote };
    case 'SIGNED':
      if (state.step !== 'sign' || !state.quote || !validFullName(event.signature.fullName)) return state;
      return { ...state, signature: event.signature, step: 'confirm', problem: null };
    case 'ATTEST':
      return state.step === 'confirm' ? { ...state, attested: event.attested } : state;
    case 'SEAL':
      return state.step === 'confirm' && state.attested && state.quote && state.signature ? { ...state, step: 'sealing', problem: null } : state;
    case 'SEALED':
      return state.step === 'sealing' ? { ...state, step: 'sealed', sealed: event.deposit, problem: null } : state;
    case 'CERTIFICATE':
      return state.step === 'sealed' ? { ...state, certificate: event.certificate } : state;
    case 'PROBLEM':
      if (event.problem && FATAL_CODES.has(event.problem.code)) return failed(state, event.problem);
      // A refused seal returns to the confirmation, where the person can act on the message.
      return { ...state, problem: event.problem, step: state.step === 'sealing' ? 'confirm' : state.step };
    case 'FAILED':
      return failed(state, event.problem);
    case 'RESET':
      return initialState(event.mode ?? state.mode);
  }
}

function next(state: FlowState): FlowState {
  switch (state.step) {
    case 'capture':
      return state.items.length > 0 && state.recorder.phase === 'idle' ? { ...state, step: 'review', problem: null } : state;
    case 'review':
      return allUploaded(state) ? { ...state, step: 'details', problem: null } : state;
    default:
      return state;
  }
}

function back(state: FlowState): FlowState {
  const previous: Partial<Record<Step, Step>> = { review: 'capture', details: 'review', sign: 'details', confirm: 'sign' };
  const step = previous[state.step];
  return step ? { ...state, step, problem: null } : state;
}
