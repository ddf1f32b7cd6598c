// Loads `<probant-capture>` from the platform (/widget/v1/, same origin) once per page load.
import type { DetailedHTMLProps, HTMLAttributes } from 'react';

export const WIDGET_SRC = '/widget/v1/probant-capture.js';

let loading: Promise<void> | null = null;

export function loadWidget(src = WIDGET_SRC): Promise<void> {
  if (customElements.get('probant-capture')) return Promise.resolve();
  loading ??= new Promise<void>((resolve, reject) => {
    const script = document.createElement('script');
    script.type = 'module';
    script.src = src;
    script.onload = () => void customElements.whenDefined('probant-capture').then(() => resolve());
    script.onerror = () => {
      loading = null;
      script.remove();
      reject(new Error('widget unavailable'));
    };
    document.head.appendChild(script);
  });
  return loading;
}

export interface SealedDetail {
  reference: string;
  depositId: string;
}

type CaptureAttributes = DetailedHTMLProps<HTMLAttributes<HTMLElement>, HTMLElement> & {
  mode?: string;
  lang?: string;
  'api-base'?: string;
};

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'probant-capture': CaptureAttributes;
    }
  }
}
