// <probant-capture>: the custom element. Renders the flow state in a shadow root and routes the person's actions.

import { CaptureApi } from './api';
import { credentialsFor, normaliseApiBase } from './auth';
import { CaptureController } from './controller';
import { explain, WidgetError } from './errors';
import { initialState, transition, type FlowEvent, type FlowState } from './flow';
import { messages, pickLang, type Lang, type Messages } from './i18n';
import { validateDetails, validFullName } from './limits';
import { SignaturePad } from './signature';
import { forget, load, save, type Store } from './resume';
import { STYLES } from './styles';
import { parseMode } from './types';
import { itemStatus, renderStep, stepper } from './views';

const ATTRIBUTES = ['api-base', 'token', 'mode', 'lang'] as const;

/** The part of the state whose change needs a new rendering (progress and timers are patched in place). */
function structureKey(state: FlowState, lang: Lang): string {
  const recorder = state.recorder.phase === 'countdown' ? `c${state.recorder.n}` : state.recorder.phase;
  return JSON.stringify([
    lang, state.step, state.mode, recorder, state.location.state, state.session?.id, state.quote?.credits ?? null,
    state.attested, state.problem?.code, state.certificate?.status ?? null, state.items.map((i) => [i.localId, i.status, i.error?.code]),
  ]);
}

/** A selector that finds the same control again after a rendering. */
function focusSelector(element: Element | null): string | null {
  if (!element) return null;
  if (element.id) return `#${CSS.escape(element.id)}`;
  const action = element.getAttribute('data-action');
  if (action) {
    const id = element.getAttribute('data-id');
    return `[data-action="${action}"]${id ? `[data-id="${CSS.escape(id)}"]` : ''}`;
  }
  return element.hasAttribute('data-attest') ? '[data-attest]' : null;
}

export class ProbantCaptureElement extends HTMLElement {
  static observedAttributes = [...ATTRIBUTES];

  /** Set by the host page: returns a fresh capture token when the current one has expired
   * (docs/widget.md). Without it the widget asks with the `probant:token-expired` event. */
  tokenProvider: (() => Promise<string>) | null = null;

  private state: FlowState = initialState(parseMode(this.getAttribute('mode')));
  private readonly root: ShadowRoot;
  private readonly main: HTMLElement;
  private readonly alertRegion: HTMLElement;
  private readonly preview: HTMLVideoElement;
  private pad: SignaturePad | null = null;
  private readonly controller: CaptureController;
  private renderedKey = '';
  private readyEmitted = false;

  constructor() {
    super();
    this.root = this.attachShadow({ mode: 'open' });
    this.root.innerHTML = `<style>${STYLES}</style><section class="card" role="region"><header><span class="brand">Probant</span><span class="mode"></span></header><div class="alert" role="alert"></div><div class="main"></div></section>`;
    this.main = this.root.querySelector('.main')!;
    this.alertRegion = this.root.querySelector('.alert')!;
    this.preview = document.createElement('video');
    this.preview.setAttribute('playsinline', '');
    this.preview.muted = true;
    this.preview.autoplay = true;
    this.controller = new CaptureController({
      state: () => this.state,
      dispatch: (event) => this.dispatch(event),
      lang: () => this.widgetLang,
      api: () => this.api(),
      credentials: () => credentialsFor(this.getAttribute('token'), document.cookie),
      video: () => this.preview,
      emit: (name, detail) => this.emit(name, detail),
      refresh: () => this.refreshToken(),
      resumable: () => (this.apiBase ? load(this.storage, this.apiBase, this.state.mode) : null),
    });
    this.root.addEventListener('click', (event) => this.onClick(event));
    this.root.addEventListener('input', (event) => this.onInput(event));
    this.root.addEventListener('change', (event) => this.onInput(event));
    this.root.addEventListener('submit', (event) => this.onSubmit(event));
  }

  private get storage(): Store | null {
    try {
      return typeof sessionStorage === 'undefined' ? null : sessionStorage;
    } catch {
      return null;
    }
  }

  /** The widget's language (attribute, browser, French). */
  get widgetLang(): Lang {
    return pickLang(this.getAttribute('lang'), typeof navigator !== 'undefined' ? navigator.languages ?? [navigator.language] : []);
  }

  private get t(): Messages {
    return messages(this.widgetLang);
  }

  private get apiBase(): string | null {
    return normaliseApiBase(this.getAttribute('api-base'), location.origin);
  }

  connectedCallback(): void {
    this.render();
    if (!this.readyEmitted) {
      this.readyEmitted = true;
      // After the current task, so a host that adds its listeners right after inserting the element hears it.
      setTimeout(() => this.emit('probant:ready', { mode: this.state.mode, lang: this.widgetLang }), 0);
    }
  }

  disconnectedCallback(): void {
    this.controller.release();
    this.controller.stopWatching();
  }

  /** A fresh token from the host page (its `tokenProvider`, else an answer to the
   * `probant:token-expired` event within 30 s); the work in progress then resumes. */
  private async refreshToken(): Promise<boolean> {
    if (!this.getAttribute('token')) return false; // cookie sessions are not refreshed here
    const token = await (this.tokenProvider
      ? this.tokenProvider().catch(() => null)
      : new Promise<string | null>((resolve) => {
          const timer = setTimeout(() => resolve(null), 30000);
          this.emit('probant:token-expired', { respond: (value: string) => (clearTimeout(timer), resolve(value)) });
        }));
    if (!token?.trim()) return false;
    this.setAttribute('token', token.trim());
    return true;
  }

  attributeChangedCallback(name: string, previous: string | null, value: string | null): void {
    if (previous === value) return;
    if (name === 'mode' && (this.state.step === 'intro' || this.state.step === 'failed')) {
      this.state = initialState(parseMode(value));
    }
    if (this.isConnected) this.render();
  }

  private api(): CaptureApi {
    const apiBase = this.apiBase;
    if (!apiBase) throw new WidgetError('CONFIGURATION', 'api-base');
    return new CaptureApi({
      apiBase,
      credentials: () => credentialsFor(this.getAttribute('token'), document.cookie),
      lang: () => this.widgetLang,
      refresh: () => this.refreshToken(),
    });
  }

  private emit(name: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  private dispatch(event: FlowEvent): void {
    const before = this.state.step;
    this.state = transition(this.state, event);
    const after = this.state.step;
    if (after === 'failed' && before !== 'failed') this.controller.release();
    else if (before === 'capture' && after !== 'capture') this.controller.pauseCamera();
    if (after === 'capture' && before !== 'capture' && before !== 'starting') void this.controller.resumeCamera();
    if (this.apiBase) save(this.storage, this.apiBase, this.state);
    this.render(before !== after);
  }

  private render(stepChanged = false): void {
    const t = this.t;
    const state = this.state;
    this.root.querySelector('.card')!.setAttribute('aria-label', t.title);
    this.root.querySelector('.mode')!.textContent = state.mode === 'photos' ? t.modePhotos : state.mode === 'video' ? t.modeVideo : t.modeScreen;
    this.alertRegion.textContent = state.problem?.message ?? '';
    const key = structureKey(state, this.widgetLang);
    if (key === this.renderedKey) return this.patch();
    this.renderedKey = key;
    const focused = stepChanged ? null : focusSelector(this.root.activeElement);
    const typed = stepChanged ? [] : this.typedValues();
    const showStepper = !['intro', 'starting', 'failed', 'locationBlocked'].includes(state.step);
    this.main.innerHTML = (showStepper ? stepper(state.step, t) : '') + renderStep(state, t, this.apiBase ?? '');
    this.fillSlot('preview', this.preview);
    this.preview.setAttribute('aria-label', t.preview);
    if (state.step === 'sign') this.fillSlot('signature', this.signaturePad().canvas);
    for (const [id, value] of typed) {
      const field = this.main.querySelector<HTMLInputElement>(`#${CSS.escape(id)}`);
      if (field) field.value = value;
    }
    this.patch();
    const target = stepChanged ? this.main.querySelector<HTMLElement>('[data-heading]') : focused ? this.main.querySelector<HTMLElement>(focused) : null;
    target?.focus();
  }

  /** What the person typed in the current step, so a rendering within the step never loses it. */
  private typedValues(): [string, string][] {
    return [...this.main.querySelectorAll<HTMLInputElement>('input[type=text][id], textarea[id]')].map((f) => [f.id, f.value]);
  }

  private fillSlot(name: string, node: HTMLElement): void {
    this.main.querySelector(`[data-slot="${name}"]`)?.replaceWith(node);
  }

  private signaturePad(): SignaturePad {
    if (!this.pad) {
      this.pad = new SignaturePad(() => undefined);
      this.pad.canvas.setAttribute('role', 'img');
    }
    this.pad.canvas.setAttribute('aria-label', this.t.signatureLabel);
    return this.pad;
  }

  /** Updates progress bars and the recording timer without rebuilding the step. */
  private patch(): void {
    const t = this.t;
    this.state.items.forEach((item, index) => {
      const bar = this.main.querySelector(`[data-status="${CSS.escape(item.localId)}"]`);
      const html = itemStatus(item, index, t);
      if (bar && bar.getAttribute('data-html') !== html && !bar.contains(this.root.activeElement)) {
        bar.innerHTML = html;
        bar.setAttribute('data-html', html);
      }
    });
    const timer = this.main.querySelector('[role="timer"]');
    if (timer && this.state.recorder.phase === 'recording') timer.textContent = t.recording(this.state.recorder.left);
  }

  private onClick(event: Event): void {
    const target = (event.target as Element).closest<HTMLElement>('[data-action]');
    if (!target || (target as HTMLButtonElement).disabled) return;
    const id = target.getAttribute('data-id') ?? '';
    const c = this.controller;
    switch (target.getAttribute('data-action')) {
      case 'start':
        return void (this.apiBase ? c.start() : this.dispatch({ type: 'FAILED', problem: c.problem(new WidgetError('CONFIGURATION', 'api-base')) }));
      case 'shoot':
        return void c.shoot();
      case 'record':
        return void c.record();
      case 'stop':
        return c.stopRecording();
      case 'retake':
        return void c.remove(id).then(() => this.dispatch({ type: 'BACK' }));
      case 'delete':
        return void c.remove(id);
      case 'retry-upload':
        return void c.upload(id);
      case 'next':
        return this.dispatch({ type: 'NEXT' });
      case 'back':
        return this.dispatch({ type: 'BACK' });
      case 'clear-signature':
        return this.pad?.clear();
      case 'seal':
        return void c.seal(this.state.signature!);
      case 'reset':
        c.release();
        c.stopWatching();
        if (this.apiBase) forget(this.storage, this.apiBase);
        this.state.items.forEach((item) => URL.revokeObjectURL(item.previewUrl));
        this.pad?.clear();
        return this.dispatch({ type: 'RESET' });
    }
  }

  private onInput(event: Event): void {
    const target = event.target as HTMLInputElement | HTMLTextAreaElement;
    const comment = target.getAttribute('data-comment');
    if (comment) return this.dispatch({ type: 'COMMENT', localId: comment, comment: target.value });
    if (target.hasAttribute('data-attest')) return this.dispatch({ type: 'ATTEST', attested: (target as HTMLInputElement).checked });
    const form = target.closest('form');
    if (form?.getAttribute('data-form') === 'details') this.dispatch({ type: 'DETAILS_CHANGED', details: this.readDetails(form) });
  }

  private readDetails(form: HTMLFormElement): FlowState['details'] {
    const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | null)?.value ?? '';
    return {
      ...this.state.details,
      title: value('title'),
      address: { ...this.state.details.address, street: value('street'), postcode: value('postcode'), city: value('city'), floor: value('floor'), flat: value('flat'), building: value('building') },
    };
  }

  private onSubmit(event: Event): void {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const invalid = { type: 'PROBLEM', problem: { code: 'INVALID_INPUT', message: explain('INVALID_INPUT', this.widgetLang) } } as const;
    if (form.getAttribute('data-form') === 'details') {
      this.dispatch({ type: 'DETAILS_CHANGED', details: this.readDetails(form) });
      const problems = Object.keys(validateDetails(this.state.details));
      if (problems.length) {
        this.dispatch(invalid);
        return this.main.querySelector<HTMLElement>(`#${problems[0]}`)?.focus();
      }
      return void this.controller.saveDetails();
    }
    if (form.getAttribute('data-form') === 'sign') {
      const fullName = ((form.elements.namedItem('fullName') as HTMLInputElement | null)?.value ?? '').trim();
      if (!validFullName(fullName)) {
        this.dispatch(invalid);
        return this.main.querySelector<HTMLElement>('#fullName')?.focus();
      }
      this.dispatch({ type: 'SIGNED', signature: { fullName, imagePngBase64: this.pad?.toPngBase64() ?? null } });
    }
  }
}

/** Registers <probant-capture> once, even when the script is included twice. */
export function defineProbantCapture(name = 'probant-capture'): void {
  if (typeof customElements !== 'undefined' && !customElements.get(name)) customElements.define(name, ProbantCaptureElement);
}
