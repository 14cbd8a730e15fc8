import { messageOf } from '../../common/error.util';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import {
  ApiPartialResponseError,
  ApiRequestError,
  ApiResponseError,
  TwitterApi,
  type IClientSettings,
  type ITwitterApiClientPlugin,
  type TwitterApiReadOnly,
  type TwitterRateLimit,
} from 'twitter-api-v2';
import { isPlainObject } from '../../common/json.util';
import { ConnectorError } from '../source-connector';

export const X_DEFAULT_API_BASE_URL = 'https://api.x.com';

/** The origins twitter-api-v2 has built in; every request to them is sent to the configured base URL instead. */
const LIBRARY_API_ORIGINS = new Set(['https://api.x.com', 'https://api.twitter.com']);

/** When X says "wait" without saying until when. */
export const X_DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;

/**
 * A last-resort deadline on top of the library's own request timeout: should the library never
 * settle (a response that trickles in forever), the fetch still fails shortly after `timeoutMs`.
 */
const DEADLINE_GRACE_MS = 250;

export interface XUserCredentials {
  appKey: string;
  appSecret: string;
  accessToken: string;
  accessSecret: string;
}

/** `https://api.x.com/2/tweets?x=1` on `http://127.0.0.1:4000` becomes `http://127.0.0.1:4000/2/tweets?x=1`. */
export function rewriteToBaseUrl(requestUrl: string, apiBaseUrl: string): string {
  const url = new URL(withProtocol(requestUrl));
  if (!LIBRARY_API_ORIGINS.has(url.origin)) return requestUrl;
  const base = new URL(apiBaseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  return `${base.origin}${basePath}${url.pathname}${url.search}`;
}

/**
 * twitter-api-v2 has no base-URL setting and no client-wide timeout, but it lets plugins change a
 * request before it is built: that is where the URL is pointed at the configured server (before
 * the OAuth 1.0a signature is computed, so the signature covers the URL actually requested) and
 * where every request gets its time limit.
 */
export function xRequestPlugin(apiBaseUrl: string, timeoutMs: number): ITwitterApiClientPlugin {
  return {
    onBeforeRequestConfig({ params }) {
      const original = new URL(withProtocol(params.url));
      params.url = rewriteToBaseUrl(params.url, apiBaseUrl);
      // The library picks JSON bodies for v2 by looking for a path starting with /2/, which a base URL with a path would hide.
      if (original.pathname.startsWith('/2/') && params.forceBodyMode === undefined) params.forceBodyMode = 'json';
      // Socket inactivity limit: a server that accepts the connection and then says nothing.
      params.timeout = timeoutMs;
    },
    onBeforeRequest({ requestOptions }) {
      // Whole-request limit: a server that answers, but too slowly.
      requestOptions.signal = AbortSignal.timeout(timeoutMs);
    },
  };
}

function clientSettings(apiBaseUrl: string, timeoutMs: number): Partial<IClientSettings> {
  let base: URL;
  try {
    base = new URL(apiBaseUrl);
  } catch (error) {
    throw new Error(`sources.x.apiBaseUrl is not a URL: ${apiBaseUrl}`, { cause: error });
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new Error(`sources.x.apiBaseUrl must be an http(s) URL: ${apiBaseUrl}`);
  // The library always calls https.request; Node lets an http agent carry it over plain TCP, which local fakes need.
  const httpAgent = base.protocol === 'http:' ? new HttpAgent({ keepAlive: true }) : new HttpsAgent({ keepAlive: true });
  // No rate-limit plugin: the library itself never retries, and waiting is the poller's decision.
  return { plugins: [xRequestPlugin(apiBaseUrl, timeoutMs)], httpAgent };
}

/** App-only (bearer token) client: recent search, user lookup and mentions. */
export function createXAppClient(bearerToken: string, apiBaseUrl: string, timeoutMs: number): TwitterApiReadOnly {
  return new TwitterApi(bearerToken, clientSettings(apiBaseUrl, timeoutMs)).readOnly;
}

/** User-context (OAuth 1.0a) client of the brand account: posting replies. */
export function createXUserClient(credentials: XUserCredentials, apiBaseUrl: string, timeoutMs: number): TwitterApi {
  return new TwitterApi({ ...credentials }, clientSettings(apiBaseUrl, timeoutMs));
}

/** Settles like `work`, or fails as `unavailable` shortly after `timeoutMs` if `work` has not settled by then. */
export async function withDeadline<T>(work: Promise<T>, timeoutMs: number, action: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new ConnectorError('unavailable', `X did not answer within ${timeoutMs} ms while ${action}`)),
      timeoutMs + DEADLINE_GRACE_MS,
    );
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Turns anything twitter-api-v2 (or a malformed answer) throws into the ConnectorError the poller acts on. */
export function translateXError(error: unknown, action: string, now: Date = new Date()): ConnectorError {
  if (error instanceof ConnectorError) return error;
  if (error instanceof ApiResponseError) {
    const problem = describeXProblem(error.data);
    const cause = { cause: error };
    if (error.code === 429) {
      const retryAt = rateLimitRetryAt(error.rateLimit, error.headers['x-rate-limit-reset'], now);
      return new ConnectorError('rate_limited', `X rate limit reached while ${action}; retrying at ${retryAt.toISOString()} (${problem})`, retryAt, cause);
    }
    if (error.code === 401 || error.code === 403) {
      return new ConnectorError('rejected', `X refused ${action} (HTTP ${error.code}): ${problem}`, null, cause);
    }
    return new ConnectorError('unavailable', `X answered HTTP ${error.code} while ${action}: ${problem}`, null, cause);
  }
  if (error instanceof ApiPartialResponseError) {
    const reason = errorMessage(error.responseError) ?? error.message;
    return new ConnectorError('unavailable', `malformed X response while ${action}: ${reason}`, null, { cause: error });
  }
  if (error instanceof ApiRequestError) {
    const reason = underlyingRequestError(error);
    const timedOut = reason !== null && (reason.name === 'AbortError' || reason.name === 'TimeoutError' || reason.message === 'Request timeout.');
    const message = timedOut ? `X did not answer in time while ${action}` : `X could not be reached while ${action}: ${reason?.message ?? error.message}`;
    return new ConnectorError('unavailable', message, null, { cause: error });
  }
  return new ConnectorError('unavailable', `unexpected failure while ${action}: ${messageOf(error)}`, null, { cause: error });
}

/**
 * When requests are allowed again: the latest reset among the limits that are used up (the
 * 15-minute window, and the 24-hour app or user caps when X sends them), else the 15-minute reset.
 */
function rateLimitRetryAt(rateLimit: TwitterRateLimit | undefined, resetHeader: string | string[] | undefined, now: Date): Date {
  const resets: number[] = [];
  if (rateLimit) {
    resets.push(rateLimit.reset);
    if (rateLimit.day?.remaining === 0) resets.push(rateLimit.day.reset);
    if (rateLimit.userDay?.remaining === 0) resets.push(rateLimit.userDay.reset);
  } else if (typeof resetHeader === 'string' && /^\d+$/.test(resetHeader.trim())) {
    // The library only reads the reset when x-rate-limit-limit came too.
    resets.push(Number(resetHeader));
  }
  const latest = Math.max(...resets.filter((seconds) => Number.isFinite(seconds)), -Infinity) * 1000;
  // A missing reset, or one already past (clock skew), must not turn into an immediate retry.
  return latest > now.getTime() ? new Date(latest) : new Date(now.getTime() + X_DEFAULT_RATE_LIMIT_WAIT_MS);
}

/** X's problem body (`title`, `detail`, `reason`, `errors[]`) as one line for people. */
export function describeXProblem(body: unknown): string {
  if (typeof body === 'string') return body.trim().slice(0, 300) || 'no details given';
  if (!isPlainObject(body)) return 'no details given';
  const parts: string[] = [];
  const title = stringField(body, 'title');
  const detail = stringField(body, 'detail');
  const reason = stringField(body, 'reason');
  if (title !== null && detail !== null && title !== detail) parts.push(`${title}: ${detail}`);
  else if (title !== null || detail !== null) parts.push((title ?? detail)!);
  if (reason !== null) parts.push(`reason: ${reason}`);
  if (typeof body.error === 'string') parts.push(body.error);
  if (Array.isArray(body.errors)) {
    for (const item of body.errors.slice(0, 3)) {
      if (!isPlainObject(item)) continue;
      const message = stringField(item, 'message') ?? stringField(item, 'detail');
      if (message !== null && !parts.includes(message)) parts.push(message);
    }
  }
  return parts.length > 0 ? parts.join('; ') : 'no details given';
}

/** The query parameters an X "Invalid Request" (HTTP 400) names as the culprits. */
export function rejectedParameters(error: unknown): string[] {
  if (!(error instanceof ApiResponseError) || error.code !== 400) return [];
  const body: unknown = error.data;
  if (!isPlainObject(body) || !Array.isArray(body.errors)) return [];
  const names = new Set<string>();
  for (const item of body.errors) {
    if (isPlainObject(item) && isPlainObject(item.parameters)) Object.keys(item.parameters).forEach((name) => names.add(name));
  }
  return [...names];
}

/**
 * The network error behind an ApiRequestError. twitter-api-v2 1.29 stores it as `_options.error`
 * while its `requestError` getter reads `_options.requestError`, so the getter returns undefined.
 */
function underlyingRequestError(error: ApiRequestError): ErrorLike | null {
  const declared: unknown = error.requestError;
  if (isErrorLike(declared)) return declared;
  const options: unknown = Reflect.get(error, '_options');
  return isPlainObject(options) && isErrorLike(options.error) ? options.error : null;
}

interface ErrorLike {
  name: string;
  message: string;
}

/** Duck-typed: errors made by Node's own modules may come from another realm (under jest, say), where `instanceof Error` fails. */
function isErrorLike(value: unknown): value is ErrorLike {
  return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'name') === 'string' && typeof Reflect.get(value, 'message') === 'string';
}

function errorMessage(value: unknown): string | null {
  return isErrorLike(value) ? value.message : null;
}

function stringField(record: Record<string, unknown>, key: string): string | null {
  const value = record[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function withProtocol(url: string): string {
  return /^https?:\/\//.test(url) ? url : `https://${url}`;
}
