// @vitest-environment happy-dom
import { beforeAll, describe, expect, it } from 'vitest';
import { defineProbantCapture } from '../src/element';

beforeAll(() => defineProbantCapture());

function mount(attributes: Record<string, string> = {}): HTMLElement {
  const element = document.createElement('probant-capture');
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  document.body.append(element);
  return element;
}

const text = (element: HTMLElement) => element.shadowRoot!.textContent ?? '';

describe('<probant-capture>', () => {
  it('renders its explanation in a shadow root, in French by default', () => {
    Object.defineProperty(navigator, 'languages', { value: ['de-DE'], configurable: true });
    const element = mount({ 'api-base': 'http://127.0.0.1:8000' });
    expect(element.shadowRoot).not.toBeNull();
    expect(text(element)).toContain('Avant de commencer');
    expect(element.shadowRoot!.querySelector('button[data-action="start"]')?.textContent).toBe('Autoriser et commencer');
    expect(element.shadowRoot!.querySelector('input[type="file"]')).toBeNull();
    expect(element.shadowRoot!.querySelector('[role="alert"]')).not.toBeNull();
    Object.defineProperty(navigator, 'languages', { value: ['en-US'], configurable: true });
  });

  it("follows the browser's language without a lang attribute", () => {
    Object.defineProperty(navigator, 'languages', { value: ['en-GB', 'fr'], configurable: true });
    expect(text(mount())).toContain('Before you start');
  });

  it('tells the host page it is ready with a bubbling, composed event', async () => {
    const element = document.createElement('probant-capture');
    element.setAttribute('mode', 'video');
    const heard = new Promise<CustomEvent>((resolve) =>
      document.addEventListener('probant:ready', (e) => e.target === element && resolve(e as CustomEvent)),
    );
    document.body.append(element);
    const event = await heard;
    expect(event.bubbles).toBe(true);
    expect(event.composed).toBe(true);
    expect(event.detail).toMatchObject({ mode: 'video' });
  });

  it('speaks English with lang="en" and switches when the attribute changes', () => {
    const element = mount({ lang: 'en', mode: 'video' });
    expect(text(element)).toContain('Before you start');
    expect(text(element)).toContain('Microphone');
    element.setAttribute('lang', 'fr');
    expect(text(element)).toContain('Avant de commencer');
  });

  it('explains a misconfiguration instead of failing silently', async () => {
    const element = mount({ 'api-base': 'ftp://nowhere' });
    const heard = new Promise<CustomEvent>((resolve) => element.addEventListener('probant:error', (e) => resolve(e as CustomEvent), { once: true }));
    element.shadowRoot!.querySelector<HTMLButtonElement>('button[data-action="start"]')!.click();
    expect((await heard).detail.code).toBe('CONFIGURATION');
    expect(element.shadowRoot!.querySelector('[role="alert"]')!.textContent).toContain('api-base');
  });
});
