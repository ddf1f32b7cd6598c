// HTML of each step, from the flow state. Pure string functions; every value is escaped.

import { allUploaded, mayCapture, VISIBLE_STEPS, type CaptureItem, type FlowState, type Step } from './flow';
import type { Messages } from './i18n';
import { itemLimit, validateDetails } from './limits';

/** Escapes text for HTML content and attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STEP_LABEL: Record<(typeof VISIBLE_STEPS)[number], keyof Messages> = {
  capture: 'stepCapture',
  review: 'stepReview',
  details: 'stepDetails',
  sign: 'stepSign',
  confirm: 'stepConfirm',
  sealed: 'stepSealed',
};

/** The step list, with the current one marked for assistive technologies. */
export function stepper(step: Step, t: Messages): string {
  const current = step === 'sealing' ? 'confirm' : step;
  const index = VISIBLE_STEPS.indexOf(current as (typeof VISIBLE_STEPS)[number]);
  const items = VISIBLE_STEPS.map((name, i) => {
    const state = i === index ? ' aria-current="step"' : i < index ? ' class="done"' : '';
    return `<li${state}>${esc(t[STEP_LABEL[name]])}</li>`;
  });
  return `<ol class="steps" aria-label="${esc(t.steps)}">${items.join('')}</ol>`;
}

const heading = (text: string) => `<h2 tabindex="-1" data-heading>${esc(text)}</h2>`;
const button = (action: string, label: string, cls = '', extra = '') =>
  `<button type="button" class="${cls}" data-action="${action}"${extra}>${esc(label)}</button>`;

/** The whole body of a step (the live preview and the signature canvas are slotted in afterwards). */
export function renderStep(state: FlowState, t: Messages, apiBase = ''): string {
  switch (state.step) {
    case 'intro':
      return intro(state, t);
    case 'starting':
      return `${heading(t.introHeading)}<p role="status">${esc(t.starting)}</p>`;
    case 'locationBlocked':
      return `${heading(t.locationBlockedHeading)}<p>${esc(t.locationBlockedText)}</p><div class="actions">${button('start', t.retry, 'primary')}</div>`;
    case 'capture':
      return capture(state, t);
    case 'review':
      return review(state, t);
    case 'details':
      return details(state, t);
    case 'sign':
      return sign(state, t);
    case 'confirm':
    case 'sealing':
      return confirm(state, t);
    case 'sealed':
      return sealed(state, t, apiBase);
    case 'failed':
      return `${heading(t.failedHeading)}<div class="actions">${button('start', t.retry, 'primary')}</div>`;
  }
}

function intro(state: FlowState, t: Messages): string {
  const perms = [state.mode === 'screen' ? t.permScreen : t.permCamera];
  if (state.mode === 'video') perms.push(t.permMicrophone);
  perms.push(t.permLocation);
  return `${heading(t.introHeading)}<p>${esc(t.introLead)}</p>
<ul class="perms">${perms.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>
<p class="muted">${esc(t.introPrompt)}</p>
<div class="actions">${button('start', t.start, 'primary')}</div>`;
}

function locationLine(state: FlowState, t: Messages): string {
  if (state.location.state === 'fixed') return `<p class="status ok">${esc(t.locationOk(Math.round(state.location.fix.accuracyMeters)))}</p>`;
  if (state.location.state === 'pending') return `<p class="status">${esc(t.locationPending)}</p>`;
  return `<p class="notice" role="status">${esc(t.noLocationBanner)}</p>`;
}

function capture(state: FlowState, t: Messages): string {
  const session = state.session!;
  const max = itemLimit(state.mode, session);
  const disabled = mayCapture(state) ? '' : ' disabled';
  let overlay = '';
  let controls: string;
  if (state.mode === 'photos') {
    controls = `${button('shoot', t.takePhoto, 'primary', disabled)}<span class="muted" aria-live="polite">${esc(t.photoCount(state.items.length, max))}</span>`;
    if (state.items.length >= max) controls += `<span class="muted">${esc(t.limitReached)}</span>`;
  } else if (state.recorder.phase === 'idle') {
    controls = `${button('record', state.mode === 'screen' ? t.startScreen : t.startRecording, 'primary', disabled)}<span class="muted">${esc(t.maxDuration(session.maxVideoSeconds))}</span>`;
  } else if (state.recorder.phase === 'countdown') {
    overlay = `<div class="big" aria-hidden="true">${state.recorder.n}</div>`;
    controls = `<span role="status">${esc(t.countdown(state.recorder.n))}</span>`;
  } else {
    overlay = `<div class="overlay rec" role="timer" aria-live="off">${esc(t.recording(state.recorder.left))}</div>`;
    controls = button('stop', t.stopRecording, 'danger');
  }
  return `${heading(state.mode === 'photos' ? t.modePhotos : state.mode === 'video' ? t.modeVideo : t.modeScreen)}
${locationLine(state, t)}
<div class="stage"><div data-slot="preview"></div>${overlay}</div>
<div class="bar">${controls}</div>
${state.items.length ? `<h3 class="sr-only">${esc(t.captured)}</h3><ul class="items">${state.items.map((item, i) => thumb(item, i, t, false)).join('')}</ul>` : ''}
<div class="actions">${button('next', t.continue, 'primary', state.items.length && state.recorder.phase === 'idle' ? '' : ' disabled')}</div>`;
}

/** The upload state of an item: a progress bar while sending, a word once done or failed. */
export function itemStatus(item: CaptureItem, index: number, t: Messages): string {
  if (item.status === 'uploaded') return `<p class="status ok">✓ ${esc(t.uploaded)}</p>`;
  if (item.status === 'failed')
    return `<p class="status bad" role="alert">${esc(t.uploadFailed)} — ${esc(item.error?.message)}</p>${button('retry-upload', t.retry, 'small', ` data-id="${esc(item.localId)}"`)}`;
  if (item.status === 'hashing') return `<p class="status">${esc(t.hashing)}</p>`;
  const pct = Math.round(item.progress * 100);
  const label = item.status === 'retrying' ? t.waitingNetwork : t.uploading(pct);
  return `<p class="status" data-progress-text="${esc(item.localId)}">${esc(label)}</p>
<div class="progress" role="progressbar" aria-label="${esc(t.uploadProgress(index + 1))}" aria-valuemin="0" aria-valuemax="100" aria-valuenow="${pct}" data-progress="${esc(item.localId)}"><span style="width:${pct}%"></span></div>`;
}

function media(item: CaptureItem, index: number, t: Messages): string {
  const alt = esc(t.item(index + 1));
  if (!item.previewUrl) return `<div class="thumb restored" role="img" aria-label="${alt}">${esc(t.restored)}</div>`;
  return item.contentType.startsWith('video/')
    ? `<video class="thumb" src="${esc(item.previewUrl)}" controls playsinline aria-label="${alt}"></video>`
    : `<img class="thumb" src="${esc(item.previewUrl)}" alt="${alt}">`;
}

function thumb(item: CaptureItem, index: number, t: Messages, withComment: boolean): string {
  const id = ` data-id="${esc(item.localId)}"`;
  const actions = `<div class="row">${button('retake', t.retake, 'small', `${id} aria-label="${esc(t.retakeItem(index + 1))}"`)}${button('delete', t.delete, 'small danger', `${id} aria-label="${esc(t.deleteItem(index + 1))}"`)}</div>`;
  const body = `<div data-status="${esc(item.localId)}">${itemStatus(item, index, t)}</div>${actions}`;
  if (!withComment) return `<li>${media(item, index, t)}${body}</li>`;
  const field = `comment-${index}`;
  return `<li><div>${media(item, index, t)}</div><div>
<label for="${field}">${esc(t.commentLabel(index + 1))}</label>
<textarea id="${field}" data-comment="${esc(item.localId)}" aria-describedby="${field}-hint" maxlength="2000">${esc(item.comment)}</textarea>
<p class="hint" id="${field}-hint">${esc(t.commentHint)}</p>${body}</div></li>`;
}

function review(state: FlowState, t: Messages): string {
  const ready = allUploaded(state);
  return `${heading(t.reviewHeading)}
<ul class="items review">${state.items.map((item, i) => thumb(item, i, t, true)).join('')}</ul>
${ready ? '' : `<p class="muted" role="status">${esc(t.waitUploads)}</p>`}
<div class="actions">${button('back', t.back)}<span class="spacer"></span>${button('next', t.continue, 'primary', ready ? '' : ' disabled')}</div>`;
}

function input(name: string, label: string, value: string, problem?: string, optional = '', extra = ''): string {
  const error = problem ? `<p class="field-error" id="${name}-error">${esc(problem)}</p>` : '';
  const described = problem ? ` aria-describedby="${name}-error" aria-invalid="true"` : '';
  const required = optional ? '' : ' required aria-required="true"';
  return `<div><label for="${name}">${esc(label)}${optional ? ` <span class="muted">${esc(optional)}</span>` : ''}</label>
<input type="text" id="${name}" name="${name}" value="${esc(value)}"${required}${described}${extra}>${error}</div>`;
}

/** Field problems are shown only after a first attempt to continue (`showProblems`). */
export function details(state: FlowState, t: Messages, showProblems = state.problem?.code === 'INVALID_INPUT'): string {
  const p = showProblems ? validateDetails(state.details) : {};
  const msg = (k: keyof typeof p) => (p[k] ? (p[k] === 'required' ? t.required : t.invalidPostcode) : undefined);
  const a = state.details.address;
  return `${heading(t.detailsHeading)}<form novalidate data-form="details">
${input('title', t.titleLabel, state.details.title, msg('title'), '', ' maxlength="200"')}
<fieldset><legend>${esc(t.addressLegend)}</legend>
${input('street', t.street, a.street, msg('street'), '', ' autocomplete="street-address"')}
<div class="grid2">${input('postcode', t.postcode, a.postcode, msg('postcode'), '', ' autocomplete="postal-code" inputmode="text"')}${input('city', t.city, a.city, msg('city'), '', ' autocomplete="address-level2"')}</div>
<div class="grid3">${input('floor', t.floor, a.floor, undefined, t.optional)}${input('flat', t.flat, a.flat, undefined, t.optional)}${input('building', t.building, a.building, undefined, t.optional)}</div>
</fieldset>
<div class="actions">${button('back', t.back)}<span class="spacer"></span><button type="submit" class="primary">${esc(t.continue)}</button></div></form>`;
}

function sign(state: FlowState, t: Messages): string {
  const quote = state.quote
    ? `<p class="price">${esc(t.quote(state.quote.credits))}</p><p class="muted">${esc(state.quote.description)} ${esc(t.balance(state.quote.balance))}</p>`
    : `<p role="status">${esc(t.quoteLoading)}</p>`;
  const nameProblem = state.problem?.code === 'INVALID_INPUT';
  return `${heading(t.signHeading)}<div aria-live="polite">${quote}</div><form novalidate data-form="sign">
${input('fullName', t.fullName, state.signature?.fullName ?? '', nameProblem ? t.required : undefined, '', ' autocomplete="name" maxlength="120"')}
<label id="sig-label">${esc(t.signatureLabel)}</label>
<div data-slot="signature"></div>
<p class="hint" id="sig-hint">${esc(t.signatureHint)}</p>
<div class="row">${button('clear-signature', t.clearSignature, 'small')}</div>
<div class="actions">${button('back', t.back)}<span class="spacer"></span><button type="submit" class="primary"${state.quote ? '' : ' disabled'}>${esc(t.continue)}</button></div></form>`;
}

function confirm(state: FlowState, t: Messages): string {
  const a = state.details.address;
  const place = [a.street, [a.postcode, a.city].filter(Boolean).join(' '), a.building, a.floor, a.flat].filter(Boolean).join(', ');
  const credits = state.quote?.credits ?? 0;
  const busy = state.step === 'sealing';
  return `${heading(t.confirmHeading)}<dl>
<dt>${esc(t.titleLabel)}</dt><dd>${esc(state.details.title)}</dd>
<dt>${esc(t.addressLegend)}</dt><dd>${esc(place)}</dd>
<dt>${esc(t.stepCapture)}</dt><dd>${esc(t.confirmItems(state.items.length))}${state.location.state === 'fixed' ? '' : ` — ${esc(t.noLocation)}`}</dd>
<dt>${esc(t.fullName)}</dt><dd>${esc(state.signature?.fullName)}</dd></dl>
<label class="check"><input type="checkbox" data-attest${state.attested ? ' checked' : ''}${busy ? ' disabled' : ''}> <span>${esc(t.attest)}</span></label>
${busy ? `<p role="status">${esc(t.sealing)}</p>` : ''}
<div class="actions">${button('back', t.back, '', busy ? ' disabled' : '')}<span class="spacer"></span>${button('seal', t.seal(credits), 'primary', state.attested && !busy ? '' : ' disabled')}</div>`;
}

function sealed(state: FlowState, t: Messages, apiBase = ''): string {
  const deposit = state.sealed!;
  const local = new Map(state.items.map((item) => [item.itemId, item]));
  const rows = deposit.items.map((item, i) => {
    const mine = local.get(item.id);
    const same = mine?.sha256 === item.sha256;
    return `<li><div>${mine ? media(mine, i, t) : ''}</div><div><strong>${esc(t.item(i + 1))}</strong>
<p class="status ${same ? 'ok' : 'bad'}">${same ? '✓' : '✗'} ${esc(same ? t.hashMatch : t.hashMismatch)}</p>
<p class="hint">${esc(t.sha256)}</p><code>${esc(item.sha256)}</code></div></li>`;
  });
  const href = certificateHref(state.certificate?.url ?? deposit.certificateUrl, apiBase);
  const link = href ? `<a href="${esc(href)}" target="_blank" rel="noopener">${esc(t.certificate)}</a>` : '';
  const report = href ? t.certificateIssued : t.certificatePending;
  return `${heading(t.sealedHeading)}<dl><dt>${esc(t.reference)}</dt><dd><strong>${esc(deposit.reference)}</strong></dd>
<dt>${esc(t.sealedAt)}</dt><dd>${esc(withZone(deposit.sealedAt, t.locale))}</dd>
<dt>${esc(t.certificateLabel)}</dt><dd role="status" data-certificate="${href ? 'issued' : 'pending'}">${esc(report)}</dd></dl>
<ul class="items review">${rows.join('')}</ul>
<div class="actions">${link}<span class="spacer"></span>${button('reset', t.newCapture)}</div>`;
}

/** A date and time with its zone ("1 décembre 2026 à 22:58:02 UTC+1"), never ambiguous. */
export function withZone(iso: string, locale: string): string {
  return new Date(iso).toLocaleString(locale, { dateStyle: 'long', timeStyle: 'long' });
}

/** The certificate link resolved against the platform origin; only http(s) links are shown. */
export function certificateHref(url: string | null, apiBase: string): string | null {
  if (!url) return null;
  try {
    const href = apiBase ? new URL(url, `${apiBase}/`) : new URL(url);
    return href.protocol === 'https:' || href.protocol === 'http:' ? href.href : null;
  } catch {
    return null;
  }
}
