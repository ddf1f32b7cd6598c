// Every failure the widget can show, as a stable code plus a message for a person.

import type { Lang } from './i18n';

/** Codes of the contract's typed errors (GraphQL `__typename`s in UPPER_SNAKE and upload codes) and of the browser. */
export type ErrorCode =
  // GraphQL typed errors (docs/capture-api.md)
  | 'NOT_AUTHENTICATED'
  | 'NOT_ALLOWED'
  | 'NOT_FOUND'
  | 'INVALID_INPUT'
  | 'EMAIL_NOT_VERIFIED'
  | 'CAPTURE_SESSION_EXPIRED'
  | 'ITEM_LIMIT_REACHED'
  | 'INSUFFICIENT_CREDITS'
  | 'QUOTE_CHANGED'
  | 'ALREADY_SEALED'
  // upload (PUT) error codes
  | 'HASH_MISMATCH'
  | 'UNSUPPORTED_MEDIA'
  | 'TOO_LARGE'
  | 'EMPTY'
  | 'VIDEO_TOO_LONG'
  | 'CORRUPT_MEDIA'
  | 'SESSION_EXPIRED'
  | 'ALREADY_UPLOADED'
  // the browser and the network
  | 'NETWORK'
  | 'SERVER_ERROR'
  | 'CAMERA_DENIED'
  | 'CAMERA_UNAVAILABLE'
  | 'MICROPHONE_DENIED'
  | 'SCREEN_DENIED'
  | 'SCREEN_UNSUPPORTED'
  | 'RECORDER_UNSUPPORTED'
  | 'CRYPTO_UNAVAILABLE'
  | 'LOCATION_REQUIRED'
  | 'CONFIGURATION';

type Text = Record<Lang, string>;

const TEXT: Record<ErrorCode, Text> = {
  NOT_AUTHENTICATED: {
    fr: 'Votre session a expiré. Rechargez la page pour vous reconnecter.',
    en: 'Your session has expired. Reload the page to sign in again.',
  },
  NOT_ALLOWED: {
    fr: "Vous n'êtes pas autorisé à effectuer cette action.",
    en: 'You are not allowed to do this.',
  },
  NOT_FOUND: {
    fr: "Cet élément n'existe plus.",
    en: 'This item no longer exists.',
  },
  INVALID_INPUT: {
    fr: 'Certaines informations sont invalides. Vérifiez le formulaire.',
    en: 'Some information is invalid. Check the form.',
  },
  EMAIL_NOT_VERIFIED: {
    fr: 'Confirmez votre adresse e-mail avant de capturer une preuve.',
    en: 'Confirm your email address before capturing evidence.',
  },
  CAPTURE_SESSION_EXPIRED: {
    fr: 'La session de capture a expiré. Recommencez la capture.',
    en: 'The capture session has expired. Start the capture again.',
  },
  ITEM_LIMIT_REACHED: {
    fr: 'Le nombre maximal de médias pour ce dépôt est atteint.',
    en: 'This deposit already holds the maximum number of items.',
  },
  INSUFFICIENT_CREDITS: {
    fr: "Vous n'avez pas assez de crédits pour sceller ce dépôt.",
    en: 'You do not have enough credits to seal this deposit.',
  },
  QUOTE_CHANGED: {
    fr: 'Le prix a changé. Vérifiez le nouveau prix puis confirmez à nouveau.',
    en: 'The price has changed. Check the new price, then confirm again.',
  },
  ALREADY_SEALED: {
    fr: 'Ce dépôt est déjà scellé.',
    en: 'This deposit is already sealed.',
  },
  HASH_MISMATCH: {
    fr: "Le fichier reçu ne correspond pas à l'empreinte calculée : il a été altéré pendant l'envoi. Reprenez ce média.",
    en: 'The received file does not match its fingerprint: it was altered in transit. Retake this item.',
  },
  UNSUPPORTED_MEDIA: {
    fr: "Ce format de média n'est pas accepté.",
    en: 'This media format is not accepted.',
  },
  TOO_LARGE: {
    fr: 'Ce média est trop volumineux.',
    en: 'This item is too large.',
  },
  EMPTY: {
    fr: 'Ce média est vide. Reprenez-le.',
    en: 'This item is empty. Retake it.',
  },
  VIDEO_TOO_LONG: {
    fr: 'Cette vidéo dépasse la durée maximale.',
    en: 'This video is longer than allowed.',
  },
  CORRUPT_MEDIA: {
    fr: 'Ce média est illisible. Reprenez-le.',
    en: 'This item cannot be read. Retake it.',
  },
  SESSION_EXPIRED: {
    fr: 'La session de capture a expiré. Recommencez la capture.',
    en: 'The capture session has expired. Start the capture again.',
  },
  ALREADY_UPLOADED: {
    fr: 'Ce média a déjà été envoyé.',
    en: 'This item has already been uploaded.',
  },
  NETWORK: {
    fr: 'Connexion au serveur impossible. Vérifiez votre réseau puis réessayez.',
    en: 'Cannot reach the server. Check your network, then try again.',
  },
  SERVER_ERROR: {
    fr: 'Le serveur a rencontré une erreur. Réessayez dans un instant.',
    en: 'The server ran into an error. Try again in a moment.',
  },
  CAMERA_DENIED: {
    fr: "L'accès à la caméra a été refusé. Autorisez-le dans les réglages du navigateur pour ce site, puis réessayez.",
    en: 'Camera access was refused. Allow it in your browser settings for this site, then try again.',
  },
  CAMERA_UNAVAILABLE: {
    fr: 'Aucune caméra utilisable sur cet appareil.',
    en: 'No usable camera on this device.',
  },
  MICROPHONE_DENIED: {
    fr: "L'accès au microphone a été refusé. Il est nécessaire pour une vidéo.",
    en: 'Microphone access was refused. A video needs it.',
  },
  SCREEN_DENIED: {
    fr: "Le partage d'écran a été annulé ou refusé.",
    en: 'Screen sharing was cancelled or refused.',
  },
  SCREEN_UNSUPPORTED: {
    fr: "L'enregistrement d'écran n'est possible que sur un ordinateur, avec un navigateur récent.",
    en: 'Screen recording only works on a computer, with a recent browser.',
  },
  RECORDER_UNSUPPORTED: {
    fr: "Ce navigateur ne sait pas enregistrer de vidéo. Utilisez Chrome, Edge ou Firefox à jour.",
    en: 'This browser cannot record video. Use an up-to-date Chrome, Edge or Firefox.',
  },
  CRYPTO_UNAVAILABLE: {
    fr: "Ce navigateur ne peut pas calculer d'empreinte : la page doit être servie en HTTPS.",
    en: 'This browser cannot compute fingerprints: the page must be served over HTTPS.',
  },
  LOCATION_REQUIRED: {
    fr: 'Votre organisation exige la position de chaque média, et elle est indisponible.',
    en: "Your organisation requires each item's location, and it is unavailable.",
  },
  CONFIGURATION: {
    fr: "Le widget est mal configuré (attribut api-base manquant ou invalide).",
    en: 'The widget is misconfigured (missing or invalid api-base attribute).',
  },
};

/** A failure with a stable code and a message in the widget's language. */
export class WidgetError extends Error {
  readonly code: ErrorCode | string;
  readonly retryable: boolean;

  constructor(code: ErrorCode | string, message: string, retryable = false) {
    super(message);
    this.name = 'WidgetError';
    this.code = code;
    this.retryable = retryable;
  }
}

/** True when the code is one the widget knows how to explain. */
export function isKnownCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(TEXT, code);
}

/** The explanation of a code; an unknown code keeps the server's own message when there is one. */
export function explain(code: string, lang: Lang, serverMessage?: string | null): string {
  if (isKnownCode(code)) return TEXT[code][lang];
  return serverMessage?.trim() || TEXT.SERVER_ERROR[lang];
}

/** A WidgetError for a code, explained in the given language. */
export function widgetError(code: string, lang: Lang, serverMessage?: string | null, retryable = false): WidgetError {
  return new WidgetError(code, explain(code, lang, serverMessage), retryable);
}

/** `CaptureSessionExpired` → `CAPTURE_SESSION_EXPIRED`: GraphQL error types as codes. */
export function codeOfTypename(typename: string): string {
  return typename
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toUpperCase();
}
