// GraphQL client of the capture API: one method per operation, typed errors as WidgetError.

import type { Credentials } from './auth';
import { codeOfTypename, widgetError, WidgetError } from './errors';
import type { Lang } from './i18n';
import type {
  CaptureKind,
  CaptureSession,
  DepositDetails,
  Quote,
  SealedDeposit,
  Signature,
  CertificateInfo,
  StagedUpload,
  StageUploadInput,
} from './types';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface ApiOptions {
  apiBase: string;
  credentials: () => Credentials;
  lang: () => Lang;
  fetch?: FetchLike;
  /** Gets a fresh capture token from the host page; false when there is none. */
  refresh?: () => Promise<boolean>;
}

const START = `mutation StartCapture($kind: CaptureKind!) { startCapture(kind: $kind) { __typename
 ... on CaptureSessionPayload { captureSession { id nonce kind expiresAt maxItems maxVideoSeconds
 maxPhotoBytes maxVideoBytes locationRequired deposit { id } } } ... on Error { message } } }`;

const STAGE = `mutation StageUpload($input: StageUploadInput!) { stageUpload(input: $input) { __typename
 ... on StagedUpload { itemId uploadUrl expiresAt } ... on Error { message } } }`;

const UPDATE = `mutation UpdateDeposit($input: UpdateDepositInput!) { updateDeposit(input: $input) {
 __typename ... on DepositPayload { deposit { id title } } ... on Error { message } } }`;

const DELETE = `mutation DeleteItem($itemId: ID!) { deleteItem(itemId: $itemId) { __typename ... on Error { message } } }`;

const QUOTE = `query Quote($depositId: ID!) { depositQuote(depositId: $depositId) { credits rule description balance } }`;

const SEAL = `mutation Seal($input: SealDepositInput!) { sealDeposit(input: $input) { __typename
 ... on DepositPayload { deposit { id reference status sealedAt items { id sha256 } certificateUrl } }
 ... on Error { message } } }`;

const CERTIFICATE = `query Certificate($depositId: ID!) { depositCertificate(depositId: $depositId) { status url } }`;

interface GraphQLResponse {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

type Result = { __typename: string; message?: string; [key: string]: unknown };

/** Calls the platform's GraphQL endpoint on behalf of the widget. */
export class CaptureApi {
  constructor(private readonly options: ApiOptions) {}

  /** Opens a capture session (and its draft deposit) for one kind of media. */
  async startCapture(kind: CaptureKind): Promise<CaptureSession> {
    const result = await this.mutation('startCapture', START, { kind }, 'CaptureSessionPayload');
    return result.captureSession as CaptureSession;
  }

  /** Registers an item's hash and size; returns where to PUT its bytes. */
  async stageUpload(input: StageUploadInput): Promise<StagedUpload> {
    const result = await this.mutation('stageUpload', STAGE, { input }, 'StagedUpload');
    return { itemId: String(result.itemId), uploadUrl: String(result.uploadUrl), expiresAt: String(result.expiresAt) };
  }

  /** Saves the title, address and per-item comments of the draft deposit. */
  async updateDeposit(depositId: string, details: DepositDetails, itemComments: { itemId: string; comment: string }[]): Promise<void> {
    const input = { depositId, title: details.title, address: details.address, description: details.description, itemComments };
    await this.mutation('updateDeposit', UPDATE, { input }, 'DepositPayload');
  }

  /** Removes an uploaded item from the draft deposit. */
  async deleteItem(itemId: string): Promise<void> {
    const result = await this.call('deleteItem', DELETE, { itemId });
    if (typeof result.message === 'string') throw this.typedError(result);
  }

  /** The price of sealing the deposit now, and the payer's balance. */
  async quote(depositId: string): Promise<Quote> {
    const body = await this.post(QUOTE, { depositId });
    return body.depositQuote as Quote;
  }

  /** Seals the deposit, spending exactly `confirmCredits` (the quote the person saw). */
  async seal(depositId: string, signature: Signature, confirmCredits: number): Promise<SealedDeposit> {
    const input = { depositId, signature, confirmCredits };
    const result = await this.mutation('sealDeposit', SEAL, { input }, 'DepositPayload');
    return result.deposit as SealedDeposit;
  }

  /** Whether the sealed deposit's certified report is issued yet, and its link. */
  async certificate(depositId: string): Promise<CertificateInfo | null> {
    const body = await this.post(CERTIFICATE, { depositId });
    return (body.depositCertificate as CertificateInfo | null) ?? null;
  }

  private async mutation(field: string, query: string, variables: object, payload: string): Promise<Result> {
    const result = await this.call(field, query, variables);
    if (result.__typename !== payload) throw this.typedError(result);
    return result;
  }

  private async call(field: string, query: string, variables: object, refreshed = false): Promise<Result> {
    const data = await this.post(query, variables);
    const typename = (data[field] as Result | null | undefined)?.__typename;
    // An expired capture token: ask the host page for a fresh one, then try again once.
    if (typename === 'NotAuthenticated' && !refreshed && (await this.refreshed())) return this.call(field, query, variables, true);
    const result = data[field] as Result | null | undefined;
    if (!result || typeof result.__typename !== 'string') throw widgetError('SERVER_ERROR', this.options.lang());
    return result;
  }

  private typedError(result: Result): WidgetError {
    return widgetError(codeOfTypename(result.__typename), this.options.lang(), result.message ?? null);
  }

  private async refreshed(): Promise<boolean> {
    return this.options.refresh ? this.options.refresh().catch(() => false) : false;
  }

  private async post(query: string, variables: object, refreshed = false): Promise<Record<string, unknown>> {
    try {
      return await this.postOnce(query, variables);
    } catch (error) {
      if (!refreshed && error instanceof WidgetError && error.code === 'NOT_AUTHENTICATED' && (await this.refreshed())) return this.post(query, variables, true);
      throw error;
    }
  }

  private async postOnce(query: string, variables: object): Promise<Record<string, unknown>> {
    const lang = this.options.lang();
    const { headers, withCookies } = this.options.credentials();
    let response: Response;
    try {
      response = await (this.options.fetch ?? fetch)(`${this.options.apiBase}/graphql`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Accept-Language': lang, ...headers },
        credentials: withCookies ? 'include' : 'omit',
        body: JSON.stringify({ query, variables }),
      });
    } catch {
      throw widgetError('NETWORK', lang, null, true);
    }
    let body: GraphQLResponse;
    try {
      body = (await response.json()) as GraphQLResponse;
    } catch {
      throw widgetError(response.status === 401 ? 'NOT_AUTHENTICATED' : 'SERVER_ERROR', lang, null, response.status >= 500);
    }
    if (body.errors?.length) {
      const first = body.errors[0];
      throw widgetError(first.extensions?.code ?? statusCode(response.status), lang, first.message);
    }
    if (!response.ok || !body.data) throw widgetError(statusCode(response.status), lang, null, response.status >= 500);
    return body.data;
  }
}

function statusCode(status: number): string {
  if (status === 401) return 'NOT_AUTHENTICATED';
  if (status === 403) return 'NOT_ALLOWED';
  return 'SERVER_ERROR';
}
