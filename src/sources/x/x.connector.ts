import { Logger } from '@nestjs/common';
import type { TwitterApi, TwitterApiReadOnly } from 'twitter-api-v2';
import { isPlainObject } from '../../common/json.util';
import type { XSourceConfig } from '../../config/app-config';
import type { BrandConfig } from '../../domain/brands/brand';
import type { IncomingPost } from '../../domain/posts/incoming-post';
import { decodeHtmlEntities } from '../html-entities';
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
  createXAppClient,
  createXUserClient,
  describeXProblem,
  rejectedParameters,
  translateXError,
  withDeadline,
  X_DEFAULT_API_BASE_URL,
  type XUserCredentials,
} from './x-client';
import { buildXSearchQuery, xHandlesOf } from './x-query';

/** The fields each post needs to become an IncomingPost (X sends only id, text and edit history by default). */
export const X_TWEET_FIELDS =
  'created_at,author_id,public_metrics,lang,conversation_id,in_reply_to_user_id,referenced_tweets,note_tweet,edit_history_tweet_ids';
export const X_USER_FIELDS = 'username,name,public_metrics';
export const X_MAX_PAGE_SIZE = 100;
export const X_SEARCH_MIN_PAGE_SIZE = 10;
export const X_MENTIONS_MIN_PAGE_SIZE = 5;

/** Recent search reaches back seven days; a lower bound just inside that window is still accepted. */
const RECENT_SEARCH_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
/** How far back the very first poll of a feed reads. */
export const FIRST_POLL_BACKFILL_MS = 24 * 60 * 60 * 1000;
const WINDOW_SAFETY_MARGIN_MS = 60 * 1000;

const TWEET_ID = /^\d{1,20}$/;

/**
 * Where a feed got to, stored as plain JSON with the posts it came with.
 *
 * `sinceId` is the lower bound: everything at or below it has been delivered. A burst pages from
 * the newest post down to that bound, one page per fetch, and `paging` carries it between
 * fetches: X's token for the next (older) page, the newest id the burst has seen, and the
 * `start_time` used instead of `sinceId` when that one had grown older than X accepts. Only when
 * the burst is paged out does the newest id become the new `sinceId`, so posts that arrive
 * meanwhile are found by the next burst and a long outage is backfilled without a gap.
 */
export interface XCursor {
  sinceId: string | null;
  paging: { nextToken: string; newestId: string | null; startTime: string | null } | null;
}

/** A stored cursor we cannot read (hand-edited, another version) starts a fresh burst: duplicates are dropped on store. */
export function parseXCursor(cursor: SourceCursor | null): XCursor {
  if (cursor === null) return { sinceId: null, paging: null };
  const sinceId = isTweetIdOrNull(cursor.sinceId) ? cursor.sinceId : null;
  const paging = cursor.paging;
  if (
    isPlainObject(paging) &&
    typeof paging.nextToken === 'string' &&
    paging.nextToken !== '' &&
    isTweetIdOrNull(paging.newestId) &&
    (paging.startTime === null || (typeof paging.startTime === 'string' && !Number.isNaN(Date.parse(paging.startTime))))
  ) {
    return { sinceId, paging: { nextToken: paging.nextToken, newestId: paging.newestId, startTime: paging.startTime } };
  }
  return { sinceId, paging: null };
}

/** One page request: the burst's lower bound (`sinceId` or `startTime`), and X's token for an older page. */
interface PageRequest {
  sinceId: string | null;
  startTime: string | null;
  pageToken: string | null;
  maxResults: number;
}

interface ParsedPage {
  posts: IncomingPost[];
  newestId: string | null;
  nextToken: string | null;
}

/**
 * What recent search and mentions share: both are X v2 timelines with `since_id`, `max_results`,
 * a token for the next older page, the same fields and expansions, and the same answer shape.
 */
abstract class XTimelineConnector implements SourceConnector {
  readonly platform = 'x';
  abstract readonly id: string;
  abstract readonly description: string;
  abstract readonly rateLimitGroup: string;
  protected readonly logger = new Logger('XConnector');

  protected constructor(
    protected readonly client: TwitterApiReadOnly,
    protected readonly timeoutMs: number,
    private readonly minimumPageSize: number,
  ) {}

  /** For messages: "searching X for Halcyon Air", used as "... while <action>". */
  protected abstract readonly action: string;
  /** The brand the posts are known to be about, when the feed itself says so. */
  protected abstract readonly postsBrandId: string | null;
  /** Sends one page request and returns X's answer body, unparsed. */
  protected abstract requestPage(request: PageRequest): Promise<unknown>;

  async fetch(cursor: SourceCursor | null, options: FetchOptions): Promise<FetchResult> {
    const position = parseXCursor(cursor);
    const maxResults = Math.min(X_MAX_PAGE_SIZE, Math.max(this.minimumPageSize, Math.floor(options.limit)));
    let request: PageRequest = position.paging
      ? {
          sinceId: position.paging.startTime === null ? position.sinceId : null,
          startTime: position.paging.startTime,
          pageToken: position.paging.nextToken,
          maxResults,
        }
      : position.sinceId === null
        ? // First poll (or none has found a post yet): a day of history, not X's whole week. A new
          // install should not open a flood of cases whose deadlines passed days ago.
          { sinceId: null, startTime: new Date(options.now.getTime() - FIRST_POLL_BACKFILL_MS).toISOString(), pageToken: null, maxResults }
        : { sinceId: position.sinceId, startTime: null, pageToken: null, maxResults };
    const carriedNewestId = position.paging?.newestId ?? null;

    let body: unknown;
    try {
      body = await this.send(request);
    } catch (error) {
      const retry = this.retryAfterRejectedParameters(error, request, options.now);
      if (retry === null) throw translateXError(error, this.action, options.now);
      request = retry;
      try {
        body = await this.send(request);
      } catch (retryError) {
        throw translateXError(retryError, this.action, options.now);
      }
    }

    const page = parseTimelinePage(body, this.action, this.postsBrandId);
    const burstNewestId = newerId(carriedNewestId, page.newestId);
    if (page.nextToken !== null) {
      return {
        posts: page.posts,
        cursor: {
          sinceId: request.startTime === null ? position.sinceId : null,
          paging: { nextToken: page.nextToken, newestId: burstNewestId, startTime: request.startTime },
        } satisfies XCursor,
        caughtUp: false,
      };
    }
    // A burst bounded by start_time has no usable since_id below it: when it found nothing, X's own seven-day default is the same bound.
    const sinceId = burstNewestId ?? (request.startTime === null ? request.sinceId : null);
    return { posts: page.posts, cursor: { sinceId, paging: null } satisfies XCursor, caughtUp: true };
  }

  private async send(request: PageRequest): Promise<unknown> {
    return withDeadline(this.requestPage(request), this.timeoutMs, this.action);
  }

  /**
   * X answers 400 when a lower bound is older than it keeps (recent search: seven days) or when a
   * page token is no longer valid. Both would fail on every poll forever, so the fetch tries once
   * more: from just inside the seven-day window, or from the newest post again down to the same
   * bound (repeats are dropped on store; a gap would not be noticed).
   */
  private retryAfterRejectedParameters(error: unknown, request: PageRequest, now: Date): PageRequest | null {
    const parameters = rejectedParameters(error);
    if (parameters.includes('since_id') || parameters.includes('start_time')) {
      const startTime = new Date(now.getTime() - RECENT_SEARCH_WINDOW_MS + WINDOW_SAFETY_MARGIN_MS).toISOString();
      this.logger.warn(
        `${this.id}: X no longer accepts the stored lower bound (${request.sinceId !== null ? `since_id ${request.sinceId}` : `start_time ${request.startTime}`}); ` +
          `fetching from ${startTime} instead, so posts older than that are not backfilled`,
      );
      return { sinceId: null, startTime, pageToken: null, maxResults: request.maxResults };
    }
    if (request.pageToken !== null && (parameters.includes('next_token') || parameters.includes('pagination_token'))) {
      this.logger.warn(`${this.id}: X rejected the stored page token; paging the burst again from the newest post`);
      return { ...request, pageToken: null };
    }
    return null;
  }
}

/** Posts anywhere on X that mention the brand's handles or keywords, through recent search. */
export class XSearchConnector extends XTimelineConnector {
  readonly id: string;
  readonly description: string;
  readonly rateLimitGroup = 'x:search';
  protected readonly action: string;
  protected readonly postsBrandId = null;

  constructor(
    client: TwitterApiReadOnly,
    brand: BrandConfig,
    readonly query: string,
    timeoutMs: number,
  ) {
    super(client, timeoutMs, X_SEARCH_MIN_PAGE_SIZE);
    this.id = `x:${brand.id}:search`;
    this.description = `X recent search for posts about ${brand.name}: ${query}`;
    this.action = `searching X for ${brand.name}`;
  }

  protected async requestPage(request: PageRequest): Promise<unknown> {
    const paginator = await this.client.v2.search(this.query, {
      max_results: request.maxResults,
      ...(request.sinceId !== null ? { since_id: request.sinceId } : {}),
      ...(request.startTime !== null ? { start_time: request.startTime } : {}),
      ...(request.pageToken !== null ? { next_token: request.pageToken } : {}),
      'tweet.fields': X_TWEET_FIELDS,
      expansions: 'author_id',
      'user.fields': X_USER_FIELDS,
    });
    return paginator.data;
  }
}

/** Posts that mention one of the brand's X accounts, through that account's mentions timeline. */
export class XMentionsConnector extends XTimelineConnector {
  readonly id: string;
  readonly description: string;
  readonly rateLimitGroup = 'x:mentions';
  protected readonly action: string;
  protected readonly postsBrandId: string;
  /** X's user ids never change, so one lookup per process is enough. */
  private userId: string | null = null;

  constructor(
    client: TwitterApiReadOnly,
    brand: BrandConfig,
    readonly handle: string,
    timeoutMs: number,
  ) {
    super(client, timeoutMs, X_MENTIONS_MIN_PAGE_SIZE);
    this.id = `x:${brand.id}:mentions:${handle.toLowerCase()}`;
    this.description = `X mentions of @${handle} (${brand.name})`;
    this.action = `reading X mentions of @${handle}`;
    this.postsBrandId = brand.id;
  }

  protected async requestPage(request: PageRequest): Promise<unknown> {
    const userId = this.userId ?? (this.userId = await this.lookUpUserId());
    const paginator = await this.client.v2.userMentionTimeline(userId, {
      max_results: request.maxResults,
      ...(request.sinceId !== null ? { since_id: request.sinceId } : {}),
      ...(request.startTime !== null ? { start_time: request.startTime } : {}),
      ...(request.pageToken !== null ? { pagination_token: request.pageToken } : {}),
      'tweet.fields': X_TWEET_FIELDS,
      expansions: 'author_id',
      'user.fields': X_USER_FIELDS,
    });
    return paginator.data;
  }

  private async lookUpUserId(): Promise<string> {
    const body: unknown = await this.client.v2.userByUsername(this.handle);
    if (isPlainObject(body) && isPlainObject(body.data) && typeof body.data.id === 'string' && TWEET_ID.test(body.data.id)) return body.data.id;
    if (isPlainObject(body) && Array.isArray(body.errors) && body.errors.length > 0) {
      // A handle that does not exist will not start existing on a retry: the configuration needs fixing.
      throw new ConnectorError('rejected', `X has no usable account @${this.handle}: ${describeXProblem({ errors: body.errors })}`);
    }
    throw new ConnectorError('unavailable', `malformed X user lookup response for @${this.handle}: data.id is missing`);
  }
}

/** Posts public replies as the brand's X account (OAuth 1.0a user context). */
export class XReplier implements PublicReplier {
  readonly platform = 'x';

  constructor(
    private readonly client: TwitterApi,
    private readonly timeoutMs: number,
  ) {}

  async reply(target: ReplyTarget, text: string): Promise<PostedReply> {
    const action = `replying on X to post ${target.externalId}`;
    let body: unknown;
    try {
      body = await withDeadline(this.client.v2.reply(text, target.externalId), this.timeoutMs, action);
    } catch (error) {
      throw translateXError(error, action);
    }
    if (!isPlainObject(body) || !isPlainObject(body.data) || typeof body.data.id !== 'string' || !TWEET_ID.test(body.data.id)) {
      throw new ConnectorError('unavailable', `malformed X response while ${action}: data.id is missing`);
    }
    // The reply's own author is the brand account, whose handle the response does not carry; this form of URL works for any author.
    return { externalId: body.data.id, url: `https://x.com/i/web/status/${body.data.id}` };
  }
}

/**
 * The X feeds and replier the configuration allows: per brand a recent search (when it has X
 * handles or keywords) and a mentions feed per X handle; a replier when user credentials are set.
 * Throws (naming the brand) when a brand's search query would be longer than X accepts.
 */
export function createXSources(settings: XSourceConfig, brands: readonly BrandConfig[], options: { timeoutMs: number }): PlatformSources {
  if (!settings.bearerToken) return { connectors: [], replier: null };
  const apiBaseUrl = settings.apiBaseUrl || X_DEFAULT_API_BASE_URL;
  const client = createXAppClient(settings.bearerToken, apiBaseUrl, options.timeoutMs);

  const connectors: SourceConnector[] = [];
  for (const brand of brands) {
    const query = buildXSearchQuery(brand);
    if (query !== null) connectors.push(new XSearchConnector(client, brand, query, options.timeoutMs));
    const seen = new Set<string>();
    for (const handle of xHandlesOf(brand)) {
      if (seen.has(handle.toLowerCase())) continue;
      seen.add(handle.toLowerCase());
      connectors.push(new XMentionsConnector(client, brand, handle, options.timeoutMs));
    }
  }

  const { appKey, appSecret, accessToken, accessSecret } = settings;
  const replier =
    appKey && appSecret && accessToken && accessSecret
      ? new XReplier(
          createXUserClient({ appKey, appSecret, accessToken, accessSecret } satisfies XUserCredentials, apiBaseUrl, options.timeoutMs),
          options.timeoutMs,
        )
      : null;
  return { connectors, replier };
}

/* ------------------------------------------------------------------------------------------ */
/* Reading X's answer                                                                           */
/* ------------------------------------------------------------------------------------------ */

class MalformedAnswer extends Error {}

interface XAuthor {
  username: string;
  name: string | null;
  followers: number;
}

/**
 * One timeline page: `{ data?: Tweet[], includes?: { users?: User[] }, meta: {...}, errors?: [...] }`.
 * Per-item `errors` (a referenced post deleted, an author suspended) come with a 200 and the rest of
 * the page: the page is kept. Deleted posts are simply absent from `data`.
 */
export function parseTimelinePage(body: unknown, action: string, brandId: string | null): ParsedPage {
  try {
    if (!isPlainObject(body)) throw new MalformedAnswer(`the body is ${describeType(body)}, not a JSON object`);
    if (!isPlainObject(body.meta)) {
      if (Array.isArray(body.errors) && body.errors.length > 0 && body.data === undefined) {
        throw new ConnectorError('unavailable', `X answered only errors while ${action}: ${describeXProblem(body)}`);
      }
      throw new MalformedAnswer('meta is missing');
    }
    const meta = body.meta;
    if (typeof meta.result_count !== 'number') throw new MalformedAnswer('meta.result_count is not a number');
    const nextToken = optionalString(meta.next_token, 'meta.next_token');
    const metaNewestId = optionalString(meta.newest_id, 'meta.newest_id');
    if (metaNewestId !== null && !TWEET_ID.test(metaNewestId)) throw new MalformedAnswer('meta.newest_id is not a post id');
    if (body.data !== undefined && !Array.isArray(body.data)) throw new MalformedAnswer('data is not an array');
    const authors = parseAuthors(body.includes);

    const posts: IncomingPost[] = [];
    const seen = new Set<string>();
    let newestId = metaNewestId;
    for (const [index, item] of (body.data ?? []).entries()) {
      const post = toIncomingPost(item, authors, brandId, `data[${index}]`);
      newestId = newerId(newestId, post.externalId);
      // X may repeat a post on one page; one copy is enough (and across pages the store drops repeats).
      if (seen.has(post.externalId)) continue;
      seen.add(post.externalId);
      posts.push(post);
    }
    return { posts, newestId, nextToken: nextToken === '' ? null : nextToken };
  } catch (error) {
    if (error instanceof MalformedAnswer) throw new ConnectorError('unavailable', `malformed X response while ${action}: ${error.message}`);
    throw error;
  }
}

function parseAuthors(includes: unknown): Map<string, XAuthor> {
  const authors = new Map<string, XAuthor>();
  if (includes === undefined) return authors;
  if (!isPlainObject(includes)) throw new MalformedAnswer('includes is not an object');
  if (includes.users === undefined) return authors;
  if (!Array.isArray(includes.users)) throw new MalformedAnswer('includes.users is not an array');
  for (const [index, user] of includes.users.entries()) {
    const where = `includes.users[${index}]`;
    if (!isPlainObject(user)) throw new MalformedAnswer(`${where} is not an object`);
    const id = requiredString(user.id, `${where}.id`);
    const username = requiredString(user.username, `${where}.username`);
    const name = optionalString(user.name, `${where}.name`);
    const metrics = user.public_metrics === undefined ? {} : user.public_metrics;
    if (!isPlainObject(metrics)) throw new MalformedAnswer(`${where}.public_metrics is not an object`);
    authors.set(id, { username, name: name === '' ? null : name, followers: count(metrics.followers_count, `${where}.public_metrics.followers_count`) });
  }
  return authors;
}

function toIncomingPost(item: unknown, authors: ReadonlyMap<string, XAuthor>, brandId: string | null, where: string): IncomingPost {
  if (!isPlainObject(item)) throw new MalformedAnswer(`${where} is not an object`);
  const id = requiredString(item.id, `${where}.id`);
  if (!TWEET_ID.test(id)) throw new MalformedAnswer(`${where}.id is not a post id`);
  const shortText = requiredString(item.text, `${where}.text`, true);
  const createdAt = requiredString(item.created_at, `${where}.created_at`);
  const postedAt = new Date(createdAt);
  if (Number.isNaN(postedAt.getTime())) throw new MalformedAnswer(`${where}.created_at is not a date`);
  const authorId = requiredString(item.author_id, `${where}.author_id`);
  const lang = optionalString(item.lang, `${where}.lang`);

  // Posts longer than 280 characters arrive cut short in `text`; the whole of it is in `note_tweet`.
  let fullText = shortText;
  if (item.note_tweet !== undefined) {
    if (!isPlainObject(item.note_tweet)) throw new MalformedAnswer(`${where}.note_tweet is not an object`);
    fullText = requiredString(item.note_tweet.text, `${where}.note_tweet.text`, true);
  }

  const metrics = item.public_metrics === undefined ? {} : item.public_metrics;
  if (!isPlainObject(metrics)) throw new MalformedAnswer(`${where}.public_metrics is not an object`);

  let inReplyTo: string | null = null;
  if (item.referenced_tweets !== undefined) {
    if (!Array.isArray(item.referenced_tweets)) throw new MalformedAnswer(`${where}.referenced_tweets is not an array`);
    for (const reference of item.referenced_tweets) {
      if (isPlainObject(reference) && reference.type === 'replied_to' && typeof reference.id === 'string') inReplyTo = reference.id;
    }
  }

  // An author X left out of `includes` (suspended or protected since) still leaves the post worth reading.
  const author = authors.get(authorId);
  return {
    platform: 'x',
    externalId: id,
    author: {
      externalId: authorId,
      handle: author?.username ?? authorId,
      displayName: author?.name ?? null,
      followers: author?.followers ?? 0,
    },
    // X sends post text as plain text with `&`, `<` and `>` escaped as HTML entities.
    text: decodeHtmlEntities(fullText),
    lang: lang === null || lang === 'und' || lang === '' ? null : lang,
    postedAt,
    url: author ? `https://x.com/${author.username}/status/${id}` : `https://x.com/i/web/status/${id}`,
    inReplyToExternalId: inReplyTo,
    metrics: {
      likes: count(metrics.like_count, `${where}.public_metrics.like_count`),
      reposts: count(metrics.retweet_count, `${where}.public_metrics.retweet_count`) + count(metrics.quote_count, `${where}.public_metrics.quote_count`),
      replies: count(metrics.reply_count, `${where}.public_metrics.reply_count`),
    },
    brandId,
  };
}

/** The newer of two post ids (ids are time-ordered numbers too long for a JavaScript number). */
function newerId(first: string | null, second: string | null): string | null {
  if (first === null) return second;
  if (second === null) return first;
  return BigInt(second) > BigInt(first) ? second : first;
}

function isTweetIdOrNull(value: unknown): value is string | null {
  return value === null || (typeof value === 'string' && TWEET_ID.test(value));
}

function requiredString(value: unknown, where: string, allowEmpty = false): string {
  if (typeof value !== 'string') throw new MalformedAnswer(`${where} is ${describeType(value)}, not a string`);
  if (!allowEmpty && value === '') throw new MalformedAnswer(`${where} is empty`);
  return value;
}

function optionalString(value: unknown, where: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new MalformedAnswer(`${where} is ${describeType(value)}, not a string`);
  return value;
}

function count(value: unknown, where: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new MalformedAnswer(`${where} is not a count`);
  return value;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'undefined' ? 'missing' : `a ${typeof value}`;
}
