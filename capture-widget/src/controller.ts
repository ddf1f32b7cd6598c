// The flow's side effects: session, location, camera, hashing, upload, description, quote, seal.

import type { CaptureApi } from './api';
import type { Credentials } from './auth';
import { explain, isKnownCode, WidgetError } from './errors';
import { locationBlocks, locationOfNewItem, type CaptureItem, type FlowEvent, type FlowState, type Problem } from './flow';
import { firstLocation, watchLocation } from './geo';
import { sha256Hex } from './hash';
import type { Lang } from './i18n';
import { byteLimit, countdownSteps, screenCaptureSupported, secondsLeft } from './limits';
import { grabFrame, openCamera, openScreen, Recording, stopStream } from './media';
import { KIND_OF_MODE, type Signature } from './types';
import { restoredItems, type Snapshot } from './resume';
import { uploadWithRetry, type Put } from './upload';

export interface ControllerHost {
  state(): FlowState;
  dispatch(event: FlowEvent): void;
  lang(): Lang;
  api(): CaptureApi;
  credentials(): Credentials;
  video(): HTMLVideoElement;
  emit(name: string, detail: unknown): void;
  /** Asks the host page for a fresh capture token; false when it gives none. */
  refresh(): Promise<boolean>;
  /** The capture left open in this tab before a reload, if any (same mode, not expired). */
  resumable?(): Snapshot | null;
  put?: Put;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Seconds between two looks at the certified report: soon at first, then less often. */
export const CERTIFICATE_POLL_MS = [2000, 3000, 5000, 10000, 20000, 30000];
let counter = 0;

/** Runs what the flow's events ask for, and reports back with more events. */
export class CaptureController {
  private stream: MediaStream | null = null;
  private recording: Recording | null = null;
  private stopWatch: () => void = () => undefined;
  private polling = 0;

  constructor(private readonly host: ControllerHost) {}

  /** A Problem for any failure, in the widget's language; tells the host page too. */
  problem(error: unknown): Problem {
    const lang = this.host.lang();
    const code = error instanceof WidgetError ? String(error.code) : 'SERVER_ERROR';
    const message = error instanceof WidgetError && !isKnownCode(code) ? error.message : explain(code, lang);
    this.host.emit('probant:error', { code, message });
    return { code, message };
  }

  /** Opens the session, then the location and the camera (each prompt explained beforehand). */
  async start(): Promise<void> {
    const { host } = this;
    host.dispatch({ type: 'START' });
    try {
      const mode = host.state().mode;
      if (mode === 'screen' && !screenCaptureSupported(navigator)) throw new WidgetError('SCREEN_UNSUPPORTED', 'desktop only');
      const kept = host.resumable?.() ?? null;
      if (kept) host.dispatch({ type: 'SESSION_RESUMED', session: kept.session, items: restoredItems(kept), details: kept.details });
      else host.dispatch({ type: 'SESSION_STARTED', session: await host.api().startCapture(KIND_OF_MODE[mode]) });
      this.stopWatch();
      const watch = firstLocation(watchLocation, (location) => host.dispatch({ type: 'LOCATION', location }));
      this.stopWatch = watch.stop;
      await watch.first;
      if (locationBlocks(host.state())) {
        host.emit('probant:error', { code: 'LOCATION_REQUIRED', message: explain('LOCATION_REQUIRED', host.lang()) });
        host.dispatch({ type: 'CAMERA_READY' });
        return;
      }
      if (mode !== 'screen') await this.attach(await openCamera(mode));
      host.dispatch({ type: 'CAMERA_READY' });
    } catch (error) {
      host.dispatch({ type: 'FAILED', problem: this.problem(error) });
    }
  }

  private async attach(stream: MediaStream): Promise<void> {
    stopStream(this.stream);
    this.stream = stream;
    const video = this.host.video();
    video.srcObject = stream;
    video.muted = true;
    await video.play().catch(() => undefined);
  }

  /** Takes one photo from the live preview. */
  async shoot(): Promise<void> {
    try {
      await this.addItem(await grabFrame(this.host.video()), 'image/jpeg');
    } catch (error) {
      this.host.dispatch({ type: 'PROBLEM', problem: this.problem(error) });
    }
  }

  /** Counts down, records until the person stops or the session's limit, then adds the video. */
  async record(): Promise<void> {
    const { host } = this;
    const state = host.state();
    const max = state.session?.maxVideoSeconds ?? 30;
    try {
      if (state.mode === 'screen') await this.attach(await openScreen());
      for (const n of countdownSteps(3)) {
        host.dispatch({ type: 'RECORDER', recorder: { phase: 'countdown', n } });
        await wait(1000);
      }
      const recording = new Recording(this.stream!, max);
      this.recording = recording;
      const started = Date.now();
      host.dispatch({ type: 'RECORDER', recorder: { phase: 'recording', left: max } });
      const tick = setInterval(() => host.dispatch({ type: 'RECORDER', recorder: { phase: 'recording', left: secondsLeft(started, Date.now(), max) } }), 250);
      const blob = await recording.result().finally(() => clearInterval(tick));
      this.recording = null;
      if (state.mode === 'screen') {
        stopStream(this.stream);
        this.stream = null;
      }
      await this.addItem(blob, 'video/webm');
    } catch (error) {
      host.dispatch({ type: 'RECORDER', recorder: { phase: 'idle' } });
      host.dispatch({ type: 'PROBLEM', problem: this.problem(error) });
    }
  }

  /** Stops the running recording early. */
  stopRecording(): void {
    this.recording?.stop();
  }

  private async addItem(blob: Blob, contentType: string): Promise<void> {
    const { host } = this;
    const item: CaptureItem = {
      localId: `item-${++counter}`,
      blob,
      previewUrl: URL.createObjectURL(blob),
      contentType,
      capturedAt: new Date().toISOString(),
      ...locationOfNewItem(host.state()),
      sha256: null,
      status: 'hashing',
      progress: 0,
      itemId: null,
      comment: '',
      error: null,
    };
    host.dispatch({ type: 'ITEM_ADDED', item });
    const limit = byteLimit(contentType, host.state().session!);
    if (limit > 0 && blob.size > limit) {
      host.dispatch({ type: 'ITEM_FAILED', localId: item.localId, problem: this.problem(new WidgetError('TOO_LARGE', '')) });
      return;
    }
    await this.upload(item.localId);
  }

  /** Hashes (once), stages and PUTs an item, reporting progress and retries. */
  async upload(localId: string, refreshed = false): Promise<void> {
    const { host } = this;
    const find = () => host.state().items.find((i) => i.localId === localId);
    let item = find();
    const session = host.state().session;
    if (!item || !session) return;
    try {
      const sha256 = item.sha256 ?? (await sha256Hex(item.blob));
      host.dispatch({ type: 'ITEM_HASHED', localId, sha256 });
      item = find();
      if (!item) return;
      const staged = await host.api().stageUpload({
        captureSessionId: session.id,
        sha256,
        size: item.blob.size,
        contentType: item.contentType,
        capturedAt: item.capturedAt,
        location: item.location,
        noLocationReason: item.noLocationReason,
      });
      const { headers, withCookies } = host.credentials();
      const uploaded = await uploadWithRetry({
        request: { url: staged.uploadUrl, body: item.blob, contentType: item.contentType, headers: { ...headers, 'Accept-Language': host.lang() }, withCookies },
        lang: host.lang(),
        put: host.put,
        onProgress: (progress) => host.dispatch({ type: 'ITEM_PROGRESS', localId, progress }),
        onRetry: () => host.dispatch({ type: 'ITEM_RETRYING', localId }),
      });
      // The item may have been deleted while it was uploading.
      if (!find()) return void host.api().deleteItem(staged.itemId).catch(() => undefined);
      host.dispatch({ type: 'ITEM_UPLOADED', localId, itemId: uploaded?.id ?? staged.itemId });
      host.emit('probant:captured', { id: uploaded?.id ?? staged.itemId, sha256, size: item.blob.size, contentType: item.contentType, capturedAt: item.capturedAt, location: item.location });
    } catch (error) {
      // The capture token expired while the person worked: resume with a fresh one.
      if (!refreshed && error instanceof WidgetError && error.code === 'NOT_AUTHENTICATED' && (await host.refresh())) return this.upload(localId, true);
      host.dispatch({ type: 'ITEM_FAILED', localId, problem: this.problem(error) });
    }
  }

  /** Removes an item here and, when it reached the server, there too. */
  async remove(localId: string): Promise<void> {
    const item = this.host.state().items.find((i) => i.localId === localId);
    if (!item) return;
    try {
      if (item.itemId) await this.host.api().deleteItem(item.itemId);
      URL.revokeObjectURL(item.previewUrl);
      this.host.dispatch({ type: 'ITEM_REMOVED', localId });
    } catch (error) {
      this.host.dispatch({ type: 'PROBLEM', problem: this.problem(error) });
    }
  }

  /** Sends title, address and comments; then fetches the price. */
  async saveDetails(): Promise<void> {
    const { host } = this;
    const state = host.state();
    const comments = state.items.filter((i) => i.itemId).map((i) => ({ itemId: i.itemId!, comment: i.comment.trim() }));
    try {
      await host.api().updateDeposit(state.session!.deposit.id, state.details, comments);
      host.dispatch({ type: 'DETAILS_SAVED' });
      await this.refreshQuote();
    } catch (error) {
      host.dispatch({ type: 'PROBLEM', problem: this.problem(error) });
    }
  }

  /** Asks the platform for the current price. */
  async refreshQuote(): Promise<void> {
    const { host } = this;
    host.dispatch({ type: 'QUOTED', quote: null });
    try {
      host.dispatch({ type: 'QUOTED', quote: await host.api().quote(host.state().session!.deposit.id) });
    } catch (error) {
      host.dispatch({ type: 'PROBLEM', problem: this.problem(error) });
    }
  }

  /** Seals with the price the person saw; a changed price sends them back to see the new one. */
  async seal(signature: Signature): Promise<void> {
    const { host } = this;
    host.dispatch({ type: 'SEAL' });
    const state = host.state();
    if (state.step !== 'sealing') return;
    try {
      const deposit = await host.api().seal(state.session!.deposit.id, signature, state.quote!.credits);
      host.dispatch({ type: 'SEALED', deposit });
      this.release();
      host.emit('probant:sealed', { reference: deposit.reference, depositId: deposit.id });
      void this.watchCertificate(deposit.id, deposit.reference);
    } catch (error) {
      host.dispatch({ type: 'PROBLEM', problem: this.problem(error) });
      if (error instanceof WidgetError && error.code === 'QUOTE_CHANGED') await this.refreshQuote();
    }
  }

  /** Looks again until the certified report is issued (after anchoring), then shows its link
   * and tells the host page (`probant:certificate`). Stops on a new capture or a removal. */
  async watchCertificate(depositId: string, reference: string): Promise<void> {
    const run = ++this.polling;
    for (let attempt = 0; run === this.polling; attempt++) {
      const certificate = await this.host.api().certificate(depositId).catch(() => null);
      if (run !== this.polling || this.host.state().sealed?.id !== depositId) return;
      if (certificate) this.host.dispatch({ type: 'CERTIFICATE', certificate });
      if (certificate?.status === 'ISSUED') {
        this.host.emit('probant:certificate', { reference, depositId, url: certificate.url });
        return;
      }
      await wait(CERTIFICATE_POLL_MS[Math.min(attempt, CERTIFICATE_POLL_MS.length - 1)]);
    }
  }

  /** Stops looking for the certified report. */
  stopWatching(): void {
    this.polling++;
  }

  /** Turns the camera off while the person is away from the capture step (privacy, battery). */
  pauseCamera(): void {
    if (this.recording) return;
    stopStream(this.stream);
    this.stream = null;
    this.host.video().srcObject = null;
  }

  /** Turns the camera back on when the person returns to the capture step (a retake). */
  async resumeCamera(): Promise<void> {
    const mode = this.host.state().mode;
    if (mode === 'screen' || this.stream) return;
    try {
      await this.attach(await openCamera(mode));
    } catch (error) {
      this.host.dispatch({ type: 'PROBLEM', problem: this.problem(error) });
    }
  }

  /** Turns the camera and the location watch off. */
  release(): void {
    this.recording?.stop();
    stopStream(this.stream);
    this.stream = null;
    this.stopWatch();
    this.stopWatch = () => undefined;
  }
}
