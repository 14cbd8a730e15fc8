import { messageOf } from '../../common/error.util';
import { createHash } from 'node:crypto';
import { createRestAPIClient, MastoDeserializeError, MastoHttpError, MastoTimeoutError, MastoUnexpectedError, type mastodon } from 'masto';
import type { MastodonSourceConfig } from '../../config/app-config';
import type { BrandConfig } from '../../domain/brands/brand';
import type { IncomingPost } from '../../domain/posts/incoming-post';
import {
  ConnectorError,
  type FetchOptions,
  type FetchResult,
  type PlatformSources,
  type PostedReply,
  type PublicReplier,
  type ReplyTarget,
  type SourceConnector,
  type SourceCursor,
} from '../source-connector';
import {
  compareMastodonIds,
  MalformedMastodonEntityError,
  newestMastodonId,
  oldestMastodonId,
  readAccount,
  readNotificationList,
  readSearchStatuses,
  readStatus,
  readStatusList,
  statusToIncomingPost,
  type MastodonAccount,
  type MastodonStatus,
} from './mastodon-status';

/** The largest pages Mastodon serves: 80 notifications, 40 statuses (timelines and search). */
const NOTIFICATIONS_PAGE_LIMIT = 80;
const STATUSES_PAGE_LIMIT = 40;
/** Mastodon's rate-limit window is five minutes: the wait when a 429 does not say how long. */
const FALLBACK_RATE_LIMIT_WAIT_MS = 5 * 60 * 1000;

export interface MastodonSourcesOptions {
  /** A request that takes longer than this fails as `unavailable`. */
  timeoutMs: number;
}

/**
 * The Mastodon feeds of the configured brands, read with the brand account's token on one server:
 * - `mastodon:mentions`: the account's mention notifications;
 * - `mastodon:<brand>:tag:<tag>`: the hashtag timeline of each `#keyword`;
 * - `mastodon:<brand>:search:<keyword>`: full-text search for each other keyword (where the server has it);
 * and a replier that answers as the brand account. Nothing when the URL or the token is missing.
 */
export function createMastodonSources(settings: MastodonSourceConfig, brands: readonly BrandConfig[], options: MastodonSourcesOptions): PlatformSources {
  if (!settings.url || !settings.token) return { connectors: [], replier: null };
  const api = new MastodonApi(settings.url, settings.token, options.timeoutMs);
  const connectors = new Map<string, SourceConnector>();
  const add = (connector: SourceConnector): void => {
    // Keywords differing only in case or spacing map to one feed.
    if (!connectors.has(connector.id)) connectors.set(connector.id, connector);
  };
  add(new MastodonMentionsConnector(api, brands));
  for (const brand of brands) {
    for (const keyword of brand.keywords) {
      const term = keyword.trim();
      if (term.startsWith('#')) {
        const tag = term.slice(1).trim().toLowerCase();
        if (tag !== '') add(new MastodonHashtagConnector(api, brand, tag));
      } else if (term !== '') {
        add(new MastodonSearchConnector(api, brand, term));
      }
    }
  }
  return { connectors: [...connectors.values()], replier: new MastodonReplier(api) };
}

/** The masto client for one server and token, and the translation of its failures. */
class MastodonApi {
  readonly client: mastodon.rest.Client;
  readonly host: string;
  /** Mastodon limits requests per account, across endpoints: every feed of this token waits together. */
  readonly rateLimitGroup: string;
  private ownAccount: MastodonAccount | null = null;

  constructor(
    url: string,
    token: string,
    private readonly timeoutMs: number,
  ) {
    this.client = createRestAPIClient({ url, accessToken: token, timeout: timeoutMs });
    this.host = hostOf(url);
    this.rateLimitGroup = `mastodon:${this.host}`;
  }

  /** The account the token belongs to (`verify_credentials`), looked up once. */
  async account(now: Date): Promise<MastodonAccount> {
    if (this.ownAccount) return this.ownAccount;
    const answer = await this.request('looking up the brand account', (client) => client.v1.accounts.verifyCredentials(), now);
    this.ownAccount = this.read('verify_credentials', answer, readAccount);
    return this.ownAccount;
  }

  /**
   * Runs one request; any failure comes out as a ConnectorError. `refine` may give an HTTP error
   * answer a meaning specific to the endpoint (it is not asked about 429).
   */
  async request(
    action: string,
    send: (client: mastodon.rest.Client) => PromiseLike<unknown>,
    now: Date,
    refine?: (error: MastoHttpError, reason: string) => ConnectorError | null,
  ): Promise<unknown> {
    try {
      return await send(this.client);
    } catch (error) {
      throw this.translate(error, action, now, refine);
    }
  }

  /** Reads an answer with one of the mastodon-status readers; a wrong shape is `unavailable`. */
  read<T>(what: string, value: unknown, reader: (value: unknown, path: string) => T): T {
    try {
      return reader(value, what);
    } catch (error) {
      if (error instanceof MalformedMastodonEntityError) {
        throw new ConnectorError('unavailable', `Mastodon (${this.host}) sent a malformed ${what} response: ${error.message}`, null, { cause: error });
      }
      throw error;
    }
  }

  private translate(error: unknown, action: string, now: Date, refine?: (error: MastoHttpError, reason: string) => ConnectorError | null): ConnectorError {
    if (error instanceof ConnectorError) return error;
    const server = `Mastodon (${this.host})`;
    if (error instanceof MastoHttpError) {
      const reason = describeHttpError(error);
      if (error.statusCode === 429) {
        const retryAt = rateLimitResetOf(error, now);
        return new ConnectorError(
          'rate_limited',
          `${server} rate limit reached while ${action} (${reason}); next request after ${retryAt.toISOString()}`,
          retryAt,
          {
            cause: error,
          },
        );
      }
      const refined = refine?.(error, reason);
      if (refined) return refined;
      if (error.statusCode === 401 || error.statusCode === 403) {
        return new ConnectorError('rejected', `${server} refused ${action}: ${reason}`, null, { cause: error });
      }
      return new ConnectorError('unavailable', `${server} failed ${action}: ${reason}`, null, { cause: error });
    }
    if (error instanceof MastoTimeoutError || hasErrorName(error, 'TimeoutError') || hasErrorName(error, 'AbortError')) {
      return new ConnectorError('unavailable', `${server} did not answer within ${this.timeoutMs} ms while ${action}`, null, { cause: error });
    }
    if (error instanceof MastoDeserializeError) {
      return new ConnectorError('unavailable', `${server} sent a malformed response (not valid JSON) while ${action}`, null, { cause: error });
    }
    if (error instanceof MastoUnexpectedError) {
      return new ConnectorError('unavailable', `${server} sent an unexpected response while ${action}: ${error.message}`, null, { cause: error });
    }
    // fetch reports network failures as TypeError("fetch failed") with the reason in `cause`; masto
    // itself throws a TypeError when an error answer is an HTML page (it cannot read its "error").
    return new ConnectorError(
      'unavailable',
      `${server} gave no usable answer while ${action} (network failure, or an error page that is not JSON): ${describeUnknownError(error)}`,
      null,
      { cause: error },
    );
  }
}

/** One page as a connector reads it: the ids that move the cursor, and the posts worth keeping. */
interface LoadedPage {
  /** Every entry of the page, including the skipped ones (deleted, boosts, the brand's own). */
  ids: string[];
  posts: IncomingPost[];
}

/**
 * Where a feed got to. `minId` is the newest entry stored: everything up to it is done. Search
 * feeds also walk down through a burst with `maxId` (the oldest entry of the last page) and keep
 * the burst's newest entry in `newestId` until the burst is fully read. A feed whose first page
 * was empty stores minId "0", so that whatever arrives next is read from its start.
 */
interface MastodonCursor {
  minId: string;
  maxId?: string;
  newestId?: string;
}

function readCursor(cursor: SourceCursor | null): MastodonCursor | null {
  if (cursor === null || !isId(cursor.minId)) return null;
  const position: MastodonCursor = { minId: cursor.minId };
  if (isId(cursor.maxId)) position.maxId = cursor.maxId;
  if (isId(cursor.newestId)) position.newestId = cursor.newestId;
  return position;
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function pageLimit(requested: number, maximum: number): number {
  if (!Number.isFinite(requested)) return maximum;
  return Math.max(1, Math.min(Math.floor(requested), maximum));
}

function laterId(left: string, right: string | null): string {
  return right !== null && compareMastodonIds(right, left) > 0 ? right : left;
}

/**
 * Paging for timelines and notifications, where `min_id` returns the entries immediately newer
 * than it (oldest first, served newest first): each page continues where the last one ended, so
 * a backlog is read oldest to newest and the cursor only moves forward.
 */
async function fetchForward(
  cursor: SourceCursor | null,
  options: FetchOptions,
  maximum: number,
  load: (minId: string | null, limit: number) => Promise<LoadedPage>,
): Promise<FetchResult> {
  const position = readCursor(cursor);
  const limit = pageLimit(options.limit, maximum);
  const page = await load(position?.minId ?? null, limit);
  const newest = newestMastodonId(page.ids);
  if (position === null) {
    // First poll ever: the newest page only, no backfill of the whole history.
    return { posts: page.posts, cursor: { minId: newest ?? '0' }, caughtUp: true };
  }
  const minId = laterId(position.minId, newest);
  // A full page that does not move the cursor would be fetched again forever.
  const advanced = minId !== position.minId;
  return { posts: page.posts, cursor: { minId }, caughtUp: page.ids.length < limit || !advanced };
}

/**
 * Paging for search. Mastodon's search treats `min_id` as a lower bound and answers the newest
 * matches above it (StatusesSearchService orders by id descending), so a burst larger than a page
 * is read from the top down with `max_id`, and minId moves to the burst's newest entry only once
 * the burst is exhausted. A server that answers `min_id` as documented (immediately newer) is read
 * correctly too, with one more request per full page.
 */
async function fetchDownward(
  cursor: SourceCursor | null,
  options: FetchOptions,
  maximum: number,
  load: (minId: string | null, maxId: string | null, limit: number) => Promise<LoadedPage>,
): Promise<FetchResult> {
  const position = readCursor(cursor);
  const limit = pageLimit(options.limit, maximum);
  const page = await load(position?.minId ?? null, position?.maxId ?? null, limit);
  const newest = newestMastodonId(page.ids);
  if (position === null) {
    return { posts: page.posts, cursor: { minId: newest ?? '0' }, caughtUp: true };
  }
  const burstNewest = position.newestId === undefined ? newest : newest === null ? position.newestId : laterId(position.newestId, newest);
  const oldest = oldestMastodonId(page.ids);
  const movedDown =
    oldest !== null && compareMastodonIds(oldest, position.minId) > 0 && (position.maxId === undefined || compareMastodonIds(oldest, position.maxId) < 0);
  if (page.ids.length >= limit && movedDown && oldest !== null && burstNewest !== null) {
    return { posts: page.posts, cursor: { minId: position.minId, maxId: oldest, newestId: burstNewest }, caughtUp: false };
  }
  return { posts: page.posts, cursor: { minId: laterId(position.minId, burstNewest) }, caughtUp: true };
}

/**
 * What a feed keeps of a status: not boosts (the booster did not write it, and the original
 * reaches us on its own), not the brand account's own posts (its replies would come back as
 * customer posts).
 */
function keepStatus(status: MastodonStatus | null, own: MastodonAccount, brandId: string | null): IncomingPost[] {
  if (status === null || status.isBoost || status.account.id === own.id) return [];
  return [statusToIncomingPost(status, brandId)];
}

/** Mentions of the brand account, from its notifications. */
class MastodonMentionsConnector implements SourceConnector {
  readonly id = 'mastodon:mentions';
  readonly platform = 'mastodon';
  readonly description: string;
  readonly rateLimitGroup: string;
  /** Undefined until the account is known; null when no brand lists it. */
  private brandId: string | null | undefined = undefined;

  constructor(
    private readonly api: MastodonApi,
    private readonly brands: readonly BrandConfig[],
  ) {
    this.description = `Mentions of the brand account on Mastodon (${api.host})`;
    this.rateLimitGroup = api.rateLimitGroup;
  }

  async fetch(cursor: SourceCursor | null, options: FetchOptions): Promise<FetchResult> {
    const own = await this.api.account(options.now);
    if (this.brandId === undefined) this.brandId = brandOfAccount(own, this.brands, this.api.host);
    const brandId = this.brandId;
    return fetchForward(cursor, options, NOTIFICATIONS_PAGE_LIMIT, async (minId, limit) => {
      const answer = await this.api.request('reading mentions', (client) => client.v1.notifications.list({ types: ['mention'], minId, limit }), options.now);
      const notifications = this.api.read('notifications', answer, readNotificationList);
      return {
        ids: notifications.map((notification) => notification.id),
        // Servers that ignore types[] still send other kinds; a deleted status leaves its notification with none.
        posts: notifications.flatMap((notification) => (notification.type === 'mention' ? keepStatus(notification.status, own, brandId) : [])),
      };
    });
  }
}

/** The brand whose Mastodon handles include this account (its acct, or acct@server). */
function brandOfAccount(account: MastodonAccount, brands: readonly BrandConfig[], host: string): string | null {
  const names = new Set([account.acct.toLowerCase(), account.username.toLowerCase(), `${account.username.toLowerCase()}@${host.toLowerCase()}`]);
  const brand = brands.find((candidate) => candidate.handles.mastodon.some((handle) => names.has(handle.trim().replace(/^@/, '').toLowerCase())));
  return brand?.id ?? null;
}

/** Public posts with one of a brand's hashtags. */
class MastodonHashtagConnector implements SourceConnector {
  readonly id: string;
  readonly platform = 'mastodon';
  readonly description: string;
  readonly rateLimitGroup: string;

  constructor(
    private readonly api: MastodonApi,
    private readonly brand: BrandConfig,
    private readonly tag: string,
  ) {
    this.id = `mastodon:${brand.id}:tag:${tag}`;
    this.description = `Posts tagged #${tag} on Mastodon (${api.host}), for ${brand.name}`;
    this.rateLimitGroup = api.rateLimitGroup;
  }

  async fetch(cursor: SourceCursor | null, options: FetchOptions): Promise<FetchResult> {
    const own = await this.api.account(options.now);
    return fetchForward(cursor, options, STATUSES_PAGE_LIMIT, async (minId, limit) => {
      const answer = await this.api.request(
        `reading #${this.tag}`,
        (client) => client.v1.timelines.tag.$select(encodeURIComponent(this.tag)).list({ minId, limit }),
        options.now,
      );
      const statuses = this.api.read('tag timeline', answer, readStatusList);
      return { ids: statuses.map((status) => status.id), posts: statuses.flatMap((status) => keepStatus(status, own, this.brand.id)) };
    });
  }
}

/** Full-text search for one of a brand's keywords; only servers with search enabled offer it. */
class MastodonSearchConnector implements SourceConnector {
  readonly id: string;
  readonly platform = 'mastodon';
  readonly description: string;
  readonly rateLimitGroup: string;

  constructor(
    private readonly api: MastodonApi,
    private readonly brand: BrandConfig,
    private readonly keyword: string,
  ) {
    this.id = `mastodon:${brand.id}:search:${keyword.toLowerCase().replace(/\s+/g, '-')}`;
    this.description = `Mastodon (${api.host}) full-text search for "${keyword}", for ${brand.name}`;
    this.rateLimitGroup = api.rateLimitGroup;
  }

  async fetch(cursor: SourceCursor | null, options: FetchOptions): Promise<FetchResult> {
    const own = await this.api.account(options.now);
    return fetchDownward(cursor, options, STATUSES_PAGE_LIMIT, async (minId, maxId, limit) => {
      const answer = await this.api.request(
        `searching for "${this.keyword}"`,
        (client) => client.v2.search.list({ q: this.keyword, type: 'statuses', minId, maxId, limit }),
        options.now,
        (error, reason) => this.searchRefused(error, reason),
      );
      const statuses = this.api.read('search', answer, readSearchStatuses);
      return { ids: statuses.map((status) => status.id), posts: statuses.flatMap((status) => keepStatus(status, own, this.brand.id)) };
    });
  }

  /** A 4xx other than an authorisation failure means this server does not search statuses. */
  private searchRefused(error: MastoHttpError, reason: string): ConnectorError | null {
    if (error.statusCode < 400 || error.statusCode >= 500 || error.statusCode === 401 || error.statusCode === 403) return null;
    return new ConnectorError(
      'rejected',
      `Keyword search is not available on the Mastodon server ${this.api.host} (it needs full-text search enabled there), so "${this.keyword}" cannot be followed: ${reason}`,
      null,
      { cause: error },
    );
  }
}

/**
 * Replies as the brand account. Posts are known by their uri (see statusToIncomingPost), and
 * Mastodon needs the local id of the status to answer, so the replier first asks its server to
 * resolve the uri (`GET /api/v2/search?resolve=true`, which works without full-text search and
 * also fetches a remote post the server has not seen). That costs one request per reply and
 * keeps post ids independent of the server the service happens to use.
 */
class MastodonReplier implements PublicReplier {
  readonly platform = 'mastodon';

  constructor(private readonly api: MastodonApi) {}

  async reply(target: ReplyTarget, text: string): Promise<PostedReply> {
    const now = new Date();
    const inReplyToId = await this.localStatusId(target.externalId, now);
    const status = withMention(target.authorHandle, text);
    // The same reply to the same post gets the same key, so a retry after a lost answer is not posted twice.
    const idempotencyKey = createHash('sha256').update(`${target.externalId}\n${status}`).digest('hex');
    const answer = await this.api.request(
      'posting a reply',
      (client) => client.v1.statuses.create({ status, inReplyToId, visibility: 'public' }, { requestInit: { headers: { 'Idempotency-Key': idempotencyKey } } }),
      now,
      (error, reason) => this.replyRefused(error, reason),
    );
    const posted = this.api.read('posted status', answer, readStatus);
    return { externalId: posted.uri, url: posted.url };
  }

  private async localStatusId(externalId: string, now: Date): Promise<string> {
    if (!/^https?:\/\//i.test(externalId)) return externalId;
    const answer = await this.api.request(
      'finding the post to reply to',
      (client) => client.v2.search.list({ q: externalId, type: 'statuses', resolve: true, limit: 1 }),
      now,
    );
    const statuses = this.api.read('search', answer, readSearchStatuses);
    const found = statuses.find((status) => status.uri === externalId || status.url === externalId);
    if (!found) {
      throw new ConnectorError(
        'rejected',
        `Mastodon (${this.api.host}) cannot find the post ${externalId} to reply to: it was deleted or is not visible to the brand account`,
      );
    }
    return found.id;
  }

  /** The post is gone (404) or the reply is invalid (422, e.g. too long): sending it again will not help. */
  private replyRefused(error: MastoHttpError, reason: string): ConnectorError | null {
    if (error.statusCode !== 404 && error.statusCode !== 422) return null;
    return new ConnectorError('rejected', `Mastodon (${this.api.host}) refused the reply: ${reason}`, null, { cause: error });
  }
}

/** Mastodon only notifies (and threads for) the author when the reply mentions them. */
function withMention(authorHandle: string, text: string): string {
  const handle = authorHandle.trim().replace(/^@/, '');
  if (handle === '') return text;
  const mention = `@${handle}`;
  const start = text.slice(0, mention.length);
  const next = text.charAt(mention.length);
  if (start.toLowerCase() === mention.toLowerCase() && (next === '' || /\s/.test(next))) return text;
  return `${mention} ${text}`;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function describeHttpError(error: MastoHttpError): string {
  // masto copies the body's "error" into message, and leaves it undefined when there is none.
  const message = typeof error.message === 'string' && error.message.trim() !== '' ? error.message : 'no reason given';
  const description = typeof error.description === 'string' && error.description.trim() !== '' ? ` (${error.description})` : '';
  return `HTTP ${error.statusCode}: ${message}${description}`;
}

function describeUnknownError(error: unknown): string {
  // fetch's errors come from Node's own realm, so under jest they are not `instanceof Error` here.
  const message = messageOf(error);
  const cause: unknown = typeof error === 'object' && error !== null && 'cause' in error ? error.cause : undefined;
  if (cause === undefined || cause === null) return message;
  const code: unknown = typeof cause === 'object' && 'code' in cause ? cause.code : undefined;
  return `${message} (${typeof code === 'string' ? `${code}: ` : ''}${messageOf(cause)})`;
}

function hasErrorName(error: unknown, name: string): boolean {
  return typeof error === 'object' && error !== null && 'name' in error && error.name === name;
}

interface HeaderSource {
  headers: { get(name: string): string | null };
}

function hasHeaders(value: unknown): value is HeaderSource {
  if (typeof value !== 'object' || value === null || !('headers' in value)) return false;
  const headers: unknown = value.headers;
  return typeof headers === 'object' && headers !== null && 'get' in headers && typeof headers.get === 'function';
}

/**
 * When a 429 ends. Mastodon sends X-RateLimit-Reset as an ISO 8601 time; some servers of the
 * same API send epoch seconds, or only Retry-After. Without any, wait one whole window.
 */
function rateLimitResetOf(error: MastoHttpError, now: Date): Date {
  const fallback = new Date(now.getTime() + FALLBACK_RATE_LIMIT_WAIT_MS);
  // masto keeps the failed Response as the error's cause.
  const cause: unknown = error.cause;
  if (!hasHeaders(cause)) return fallback;
  const reset = parseResetTime(cause.headers.get('x-ratelimit-reset'), now) ?? parseResetTime(cause.headers.get('retry-after'), now, true);
  if (reset === null) return fallback;
  return reset.getTime() < now.getTime() ? now : reset;
}

function parseResetTime(value: string | null, now: Date, secondsFromNow = false): Date | null {
  if (value === null || value.trim() === '') return null;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) {
    const seconds = Number(text);
    // A large number is an epoch time, a small one a delay.
    return !secondsFromNow && seconds > 1e9 ? new Date(seconds * 1000) : new Date(now.getTime() + seconds * 1000);
  }
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}
