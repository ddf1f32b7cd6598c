import { describe, expect, it } from 'vitest';
import { initialState, transition } from '../src/flow';
import { messages } from '../src/i18n';
import { certificateHref, esc, renderStep, stepper } from '../src/views';

describe('views', () => {
  it('escape every value', () => {
    expect(esc(`<img src=x onerror="a('b')">&`)).toBe('&#60;img src=x onerror=&#34;a(&#39;b&#39;)&#34;&#62;&#38;');
  });

  it('explain the microphone only for a video', () => {
    expect(renderStep(initialState('video'), messages('fr'))).toContain('Microphone');
    expect(renderStep(initialState('photos'), messages('fr'))).not.toContain('Microphone');
    expect(renderStep(initialState('screen'), messages('en'))).toContain('Screen sharing');
  });

  it('mark the current step for assistive technologies', () => {
    const html = stepper('details', messages('en'));
    expect(html).toContain('<li aria-current="step">Details</li>');
    expect(html).toContain('<li class="done">Review</li>');
  });

  it('link the certificate on the platform, never to a script', () => {
    expect(certificateHref('/certificates/d1.pdf', 'http://127.0.0.1:8000')).toBe('http://127.0.0.1:8000/certificates/d1.pdf');
    expect(certificateHref('javascript:alert(1)', 'http://127.0.0.1:8000')).toBeNull();
    expect(certificateHref(null, 'http://x')).toBeNull();
  });

  it('show the address form with the required fields', () => {
    const state = { ...transition(initialState('photos'), { type: 'START' }), step: 'details' as const };
    const html = renderStep(state, messages('fr'));
    for (const id of ['title', 'street', 'postcode', 'city', 'floor', 'flat', 'building']) expect(html).toContain(`id="${id}"`);
    expect(html).not.toContain('type="file"');
  });
});
