// Browser media: the live camera, a still frame as JPEG, WebM recording with a hard stop.

import { WidgetError } from './errors';
import { pickVideoType } from './limits';
import type { CaptureMode } from './types';

/** Maps a getUserMedia/getDisplayMedia failure to a widget error code. */
export function mediaErrorCode(error: unknown, mode: CaptureMode): string {
  const name = (error as { name?: string })?.name ?? '';
  if (mode === 'screen') return name === 'NotSupportedError' ? 'SCREEN_UNSUPPORTED' : 'SCREEN_DENIED';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'CAMERA_DENIED';
  return 'CAMERA_UNAVAILABLE';
}

/** Opens the rear camera when there is one (and the microphone for a video). */
export async function openCamera(mode: CaptureMode): Promise<MediaStream> {
  const devices = navigator.mediaDevices;
  if (!devices?.getUserMedia) throw new WidgetError('CAMERA_UNAVAILABLE', 'getUserMedia unavailable');
  try {
    return await devices.getUserMedia({
      video: { facingMode: { ideal: 'environment' }, width: { ideal: 1920 }, height: { ideal: 1080 } },
      audio: mode === 'video',
    });
  } catch (error) {
    throw new WidgetError(mediaErrorCode(error, mode), String(error));
  }
}

/** Asks the person to pick a screen, window or tab to record. */
export async function openScreen(): Promise<MediaStream> {
  const devices = navigator.mediaDevices as MediaDevices & { getDisplayMedia?: MediaDevices['getDisplayMedia'] };
  if (!devices?.getDisplayMedia) throw new WidgetError('SCREEN_UNSUPPORTED', 'getDisplayMedia unavailable');
  try {
    return await devices.getDisplayMedia({ video: true, audio: false });
  } catch (error) {
    throw new WidgetError(mediaErrorCode(error, 'screen'), String(error));
  }
}

/** Stops every track of a stream (turns the camera light off). */
export function stopStream(stream: MediaStream | null): void {
  stream?.getTracks().forEach((track) => track.stop());
}

/** The current frame of a playing video element, as a JPEG blob at full resolution. */
export function grabFrame(video: HTMLVideoElement, quality = 0.92): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  const context = canvas.getContext('2d');
  if (!context || !canvas.width) return Promise.reject(new WidgetError('CAMERA_UNAVAILABLE', 'no frame'));
  context.drawImage(video, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new WidgetError('CAMERA_UNAVAILABLE', 'no frame'))), 'image/jpeg', quality),
  );
}

/** Records a stream to WebM; stops by itself after `maxSeconds` whatever happens to the page. */
export class Recording {
  private readonly recorder: MediaRecorder;
  private readonly chunks: Blob[] = [];
  private readonly done: Promise<Blob>;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(stream: MediaStream, maxSeconds: number) {
    if (typeof MediaRecorder === 'undefined') throw new WidgetError('RECORDER_UNSUPPORTED', 'MediaRecorder unavailable');
    const mimeType = pickVideoType((type) => MediaRecorder.isTypeSupported(type));
    if (!mimeType) throw new WidgetError('RECORDER_UNSUPPORTED', 'no WebM support');
    this.recorder = new MediaRecorder(stream, { mimeType, videoBitsPerSecond: 2_500_000 });
    this.recorder.ondataavailable = (event) => {
      if (event.data.size > 0) this.chunks.push(event.data);
    };
    this.done = new Promise((resolve) => {
      this.recorder.onstop = () => {
        clearTimeout(this.timer);
        resolve(new Blob(this.chunks, { type: 'video/webm' }));
      };
    });
    // The shared screen can end from the browser's own "stop sharing" button.
    stream.getVideoTracks().forEach((track) => track.addEventListener('ended', () => this.stop()));
    this.recorder.start(1000);
    // A little before the limit, so encoder latency never pushes the file past it.
    this.timer = setTimeout(() => this.stop(), Math.max(0, maxSeconds * 1000 - 150));
  }

  /** Stops the recording (idempotent). */
  stop(): void {
    if (this.recorder.state !== 'inactive') this.recorder.stop();
  }

  /** The recorded video once stopped. */
  result(): Promise<Blob> {
    return this.done;
  }
}
