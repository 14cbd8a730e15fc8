import { isPlainObject } from '../../common/json.util';
import { messageOf } from '../../common/error.util';
import { AtpAgent, RichText, XRPCError } from '@atproto/api';
import type { BlueskySourceConfig } from '../../config/app-config';
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
import { MalformedBlueskyResponse, parseDateTime, parseSearchPage, postUrl, recordKeyOf, replyRefsOf, sortTimeOf, toIncomingPost } from './bluesky-post';

export interface BlueskySourceOptions {
  /** Every request to Bluesky (login and refresh included) fails after this long. */
  timeoutMs: number;
}

/** On a first poll that finds nothing, later polls start this long before it. */
const FIRST_POLL_MARGIN_MS = 5 * 60_000;
/** searchPosts answers at most this many posts per page. */
export const BLUESKY_MAX_PAGE_SIZE = 100;
/** Bluesky refuses posts longer than this, counted in graphemes (what a reader sees as one character). */
export const BLUESKY_MAX_POST_GRAPHEMES = 300;
/** getProfiles takes at most this many actors per call. */
const PROFILES_PER_CALL = 25;
/** When a 429 comes without a usable reset time. */
const DEFAULT_RATE_LIMIT_WAIT_MS = 5 * 60 * 1000;

/**
 * The Bluesky feeds of the watched brands, and the replier, all sharing one logged-in session.
 * Nothing is configured without both an identifier and an app password.
 */
export function createBlueskySources(settings: BlueskySourceConfig, brands: readonly BrandConfig[], options: BlueskySourceOptions): PlatformSources {
  const { identifier, appPassword } = settings;
  if (!identifier || !appPassword) return { connectors: [], replier: null };
  const session = new BlueskySession(settings.service, identifier, appPassword, options.timeoutMs);
  const connectors = brands.flatMap((brand) => blueskySearchTermsOf(brand).map((term) => new BlueskySearchConnector(session, brand, term)));
  return { connectors, replier: new BlueskyReplier(session) };
}

export interface BlueskySearchTerm {
  /** What the source id and description show: a keyword as configured (lowercase) or @handle. */
  term: string;
  /** The searchPosts query for it. */
  query: string;
}

/**
 * One search per term: searchPosts has no working OR (its docs leave the syntax "unspecified",
 * and in practice every word must match), so "a OR b" would find only posts that say both.
 * A handle is searched as `mentions:<handle>`, which matches the post's mention facets.
 */
export function blueskySearchTermsOf(brand: BrandConfig): BlueskySearchTerm[] {
  const terms = new Map<string, BlueskySearchTerm>();
  for (const raw of brand.handles.bluesky) {
    const handle = raw.trim().replace(/^@/, '').toLowerCase();
    if (handle.length > 0) terms.set(`@${handle}`, { term: `@${handle}`, query: `mentions:${handle}` });
  }
  for (const raw of brand.keywords) {
    const keyword = raw.trim().toLowerCase();
    if (keyword.length === 0 || terms.has(keyword)) continue;
    // Several words must stay together: a phrase, not posts that happen to contain each word.
    const query = /\s/.test(keyword) ? `"${keyword.replace(/"/g, '')}"` : keyword;
    terms.set(keyword, { term: keyword, query });
  }
  return [...terms.values()];
}

/**
 * Where a search source got to, as stored JSON.
 * - `since`: the lower bound, the sort time (ISO) of the newest post already taken. The API
 *   treats it as inclusive, so the boundary post comes again and is dropped as a duplicate.
 *   Null until the first post is seen.
 * - `paging`: set while a burst is being paged from newest to oldest: the API's opaque cursor
 *   for the next page, and the newest sort time of the burst, which becomes `since` only once
 *   the burst is fully paged (so a failure halfway loses nothing).
 */
export interface BlueskySearchCursor {
  since: string | null;
  paging: { cursor: string; newestSeen: string } | null;
}

export function isBlueskySearchCursor(value: unknown): value is BlueskySearchCursor {
  if (!isPlainObject(value)) return false;
  const { since, paging } = value;
  if (since !== null && parseDateTime(since) === null) return false;
  if (paging === null) return true;
  return isPlainObject(paging) && typeof paging.cursor === 'string' && paging.cursor.length > 0 && parseDateTime(paging.newestSeen) !== null;
}

/** Posts found by one search term of one brand, newest first, one searchPosts page per fetch. */
export class BlueskySearchConnector implements SourceConnector {
  readonly id: string;
  readonly platform = 'bluesky';
  readonly description: string;
  // One account's limits are shared by every search it makes.
  readonly rateLimitGroup = 'bluesky:search';
  /** The brand's own Bluesky handles, lower case and without the @. */
  private readonly ownHandles: ReadonlySet<string>;

  constructor(
    private readonly session: BlueskySession,
    private readonly brand: BrandConfig,
    private readonly search: BlueskySearchTerm,
  ) {
    this.id = `bluesky:${brand.id}:search:${search.term}`;
    this.description = `Bluesky posts matching ${search.query} (${brand.name})`;
    this.ownHandles = new Set(brand.handles.bluesky.map((raw) => raw.trim().replace(/^@/, '').toLowerCase()));
  }

  async fetch(cursor: SourceCursor | null, options: FetchOptions): Promise<FetchResult> {
    // A cursor we cannot read is treated as a first poll: the newest page, no history.
    const position = isBlueskySearchCursor(cursor) ? cursor : null;
    const limit = Math.min(BLUESKY_MAX_PAGE_SIZE, Math.max(1, Math.floor(options.limit)));
    const body = await this.session.request(
      `searching for ${this.search.query}`,
      (agent) =>
        agent.app.bsky.feed.searchPosts({
          q: this.search.query,
          sort: 'latest',
          limit,
          cursor: position?.paging?.cursor,
          since: position?.since ?? undefined,
        }),
      options.now,
    );
    let page;
    try {
      page = parseSearchPage(body);
    } catch (error) {
      if (error instanceof MalformedBlueskyResponse) throw new ConnectorError('unavailable', `malformed Bluesky searchPosts response: ${error.message}`);
      throw error;
    }

    // The brand's own posts (the signed-in account, or a handle configured as the brand's) are not
    // customer posts: its answers would come back as complaints about itself.
    const ownDid = this.session.account()?.did;
    const posts = page.items
      .map((item) => toIncomingPost(item, { brandId: this.brand.id, followers: new Map() }))
      .filter((post): post is IncomingPost => post !== null && post.author.externalId !== ownDid && !this.ownHandles.has(post.author.handle.toLowerCase()));
    const followers = await this.session.followerCounts(posts.map((post) => post.author.externalId));
    for (const post of posts) post.author.followers = followers.get(post.author.externalId) ?? 0;

    const newestOnPage = latest(page.items.map(sortTimeOf));
    const fullPage = page.items.length >= limit;
    if (position === null || (position.since === null && position.paging === null)) {
      // First poll ever: the newest page is where we start; older history is not wanted. With
      // nothing found yet, everything from a little before now on is (the margin covers posts
      // indexed late and clocks a little apart), so a first burst is paged in full, not skipped.
      const start = newestOnPage ?? new Date(options.now.getTime() - FIRST_POLL_MARGIN_MS);
      return { posts, cursor: { since: start.toISOString(), paging: null }, caughtUp: true };
    }
    const newestSeen = latest([parseDateTime(position.paging?.newestSeen), newestOnPage]);
    if (page.cursor !== null && fullPage && newestSeen !== null) {
      const next: BlueskySearchCursor = { since: position.since, paging: { cursor: page.cursor, newestSeen: newestSeen.toISOString() } };
      return { posts, cursor: { ...next }, caughtUp: false };
    }
    const since = latest([parseDateTime(position.since), newestSeen]);
    return { posts, cursor: { since: since?.toISOString() ?? null, paging: null }, caughtUp: true };
  }
}

/** Public replies as the logged-in account, threaded under the post being answered. */
export class BlueskyReplier implements PublicReplier {
  readonly platform = 'bluesky';

  constructor(private readonly session: BlueskySession) {}

  async reply(target: ReplyTarget, text: string): Promise<PostedReply> {
    const rich = new RichText({ text });
    if (text.trim().length === 0) throw new ConnectorError('rejected', 'A Bluesky reply cannot be empty');
    if (rich.graphemeLength > BLUESKY_MAX_POST_GRAPHEMES) {
      throw new ConnectorError('rejected', `Bluesky refuses posts over ${BLUESKY_MAX_POST_GRAPHEMES} characters; this reply has ${rich.graphemeLength}`);
    }
    if (recordKeyOf(target.externalId) === null) throw new ConnectorError('rejected', `${target.externalId} is not the uri of a Bluesky post`);

    const found = await this.session.request('reading the post to answer', (agent) => agent.app.bsky.feed.getPosts({ uris: [target.externalId] }));
    if (!isPlainObject(found) || !Array.isArray(found.posts))
      throw new ConnectorError('unavailable', 'malformed Bluesky getPosts response: "posts" is not an array');
    const parent = (found.posts as unknown[]).find((item) => isPlainObject(item) && item.uri === target.externalId);
    if (parent === undefined) throw new ConnectorError('rejected', `The Bluesky post ${target.externalId} is gone (deleted, or hidden from this account)`);
    const refs = replyRefsOf(parent);
    if (refs === null) throw new ConnectorError('unavailable', 'malformed Bluesky getPosts response: the post lacks its cid or thread root');

    // Links and hashtags become facets as the Bluesky app would make them. Mentions would need
    // their handles resolved to dids first, so they stay plain text.
    rich.detectFacetsWithoutResolution();
    const facets = rich.facets?.filter((facet) => facet.features.every((feature) => feature.$type !== 'app.bsky.richtext.facet#mention'));
    const created = await this.session.request('posting the reply', async (agent) => ({
      data: await agent.post({ text: rich.text, facets: facets?.length ? facets : undefined, reply: refs, createdAt: new Date().toISOString() }),
    }));
    const uri = isPlainObject(created) ? created.uri : undefined;
    const recordKey = typeof uri === 'string' ? recordKeyOf(uri) : null;
    if (typeof uri !== 'string' || recordKey === null) throw new ConnectorError('unavailable', 'malformed Bluesky createRecord response: no post uri');
    const account = this.session.account();
    return { externalId: uri, url: account ? postUrl(account.handle, account.did, recordKey) : null };
  }
}

type BlueskyCall = (agent: AtpAgent) => Promise<{ data: unknown }>;

/**
 * The one login every Bluesky connector and the replier share. It logs in lazily, on the first
 * request; the library refreshes an expired access token by itself (refreshSession), and when
 * even the refresh token is refused (the library then drops the session) this logs in again,
 * once, and repeats the request.
 */
export class BlueskySession {
  private readonly agent: AtpAgent;
  private loggingIn: Promise<void> | null = null;

  constructor(
    service: string,
    private readonly identifier: string,
    private readonly appPassword: string,
    private readonly timeoutMs: number,
  ) {
    this.agent = new AtpAgent({ service, fetch: fetchWithTimeout(timeoutMs) });
  }

  /** The logged-in account, once there is one. */
  account(): { did: string; handle: string } | null {
    const session = this.agent.session;
    return session ? { did: session.did, handle: session.handle } : null;
  }

  /**
   * Makes one call and returns its body, unchecked: every caller validates what it reads. Throws
   * only ConnectorErrors.
   */
  async request(action: string, call: BlueskyCall, now: Date = new Date()): Promise<unknown> {
    await this.logIn(now);
    try {
      return await this.attempt(call);
    } catch (error) {
      const sessionDropped = isTokenFailure(error) && !this.agent.hasSession;
      if (!sessionDropped) throw this.translate(error, action, now);
    }
    await this.logIn(now);
    try {
      return await this.attempt(call);
    } catch (error) {
      throw this.translate(error, action, now);
    }
  }

  /**
   * Follower counts of the authors on a page (search results carry none), a few getProfiles
   * calls at once. Missing counts only lower priorities, so a failure here yields no count
   * rather than failing the page.
   */
  async followerCounts(dids: readonly string[]): Promise<Map<string, number>> {
    const unique = [...new Set(dids)];
    const chunks: string[][] = [];
    for (let start = 0; start < unique.length; start += PROFILES_PER_CALL) chunks.push(unique.slice(start, start + PROFILES_PER_CALL));
    const counts = new Map<string, number>();
    await Promise.all(
      chunks.map(async (actors) => {
        try {
          const body = await this.request('reading profiles', (agent) => agent.app.bsky.actor.getProfiles({ actors }));
          const profiles: unknown = isPlainObject(body) ? body.profiles : undefined;
          if (!Array.isArray(profiles)) return;
          for (const profile of profiles as unknown[]) {
            if (!isPlainObject(profile) || typeof profile.did !== 'string') continue;
            const followers = profile.followersCount;
            if (typeof followers === 'number' && Number.isFinite(followers) && followers >= 0) counts.set(profile.did, Math.floor(followers));
          }
        } catch {
          // Counted as 0 followers: see above.
        }
      }),
    );
    return counts;
  }

  private logIn(now: Date): Promise<void> {
    if (this.agent.hasSession) return Promise.resolve();
    // Connectors polling at the same time share one login; the library refuses two at once.
    this.loggingIn ??= this.agent
      .login({ identifier: this.identifier, password: this.appPassword })
      .then(
        () => undefined,
        (error: unknown) => {
          throw this.translate(error, `logging in as ${this.identifier}`, now);
        },
      )
      .finally(() => {
        this.loggingIn = null;
      });
    return this.loggingIn;
  }

  /**
   * The library checks each answer against the lexicon and throws on the first mismatch, with
   * the body attached. One odd item (a placeholder for a deleted post, say) would then block a
   * feed for good, so the body is taken back and checked item by item by the callers instead.
   */
  private async attempt(call: BlueskyCall): Promise<unknown> {
    try {
      return (await call(this.agent)).data;
    } catch (error) {
      if (error instanceof XRPCError && statusOf(error) === INVALID_RESPONSE && 'responseBody' in error && error.responseBody !== undefined) {
        return error.responseBody;
      }
      throw error;
    }
  }

  private translate(error: unknown, action: string, now: Date): ConnectorError {
    if (error instanceof ConnectorError) return error;
    if (isTimeout(error))
      return new ConnectorError('unavailable', `Bluesky did not answer within ${this.timeoutMs} ms while ${action}`, null, { cause: error });
    if (!(error instanceof XRPCError))
      return new ConnectorError('unavailable', `Bluesky request failed while ${action}: ${messageOf(error)}`, null, { cause: error });

    const reason = describeXrpcError(error);
    const status = statusOf(error);
    if (status === RATE_LIMITED)
      return new ConnectorError('rate_limited', `Bluesky rate limit reached while ${action}: ${reason}`, retryAtOf(error, now), { cause: error });
    if (status === NETWORK_FAILURE)
      return new ConnectorError('unavailable', `Bluesky could not be reached while ${action}: ${describeCause(error)}`, null, { cause: error });
    if (status === INVALID_RESPONSE) return new ConnectorError('unavailable', `malformed Bluesky response while ${action}: ${reason}`, null, { cause: error });
    // An expired token the library could not refresh for a passing reason (it kept the session):
    // the next poll refreshes again.
    if (status === 400 && isTokenFailure(error) && this.agent.hasSession) {
      return new ConnectorError('unavailable', `Bluesky session could not be refreshed while ${action}: ${reason}`, null, { cause: error });
    }
    if (status === 408 || status >= 500) return new ConnectorError('unavailable', `Bluesky failed while ${action}: ${reason}`, null, { cause: error });
    // 401/403, a login refused, a takedown, a query Bluesky will never accept: retrying soon will not help.
    return new ConnectorError('rejected', `Bluesky refused ${action}: ${reason}`, null, { cause: error });
  }
}

// The library's ResponseType codes for failures that never got an HTTP status of their own.
const NETWORK_FAILURE = 1;
const INVALID_RESPONSE = 2;
const RATE_LIMITED = 429;

function isTokenFailure(error: unknown): error is XRPCError {
  return error instanceof XRPCError && (statusOf(error) === 401 || error.error === 'ExpiredToken' || error.error === 'InvalidToken');
}

/** `ratelimit-reset` is the end of the window in unix seconds. */
function retryAtOf(error: XRPCError, now: Date): Date {
  const headers = error.headers ?? {};
  const reset = Number(headers['ratelimit-reset']);
  if (Number.isFinite(reset) && reset > 0) return new Date(Math.max(reset * 1000, now.getTime()));
  const retryAfterSeconds = Number(headers['retry-after']);
  if (Number.isFinite(retryAfterSeconds) && retryAfterSeconds >= 0) return new Date(now.getTime() + retryAfterSeconds * 1000);
  return new Date(now.getTime() + DEFAULT_RATE_LIMIT_WAIT_MS);
}

/** The library types it as its ResponseType enum, which it does not export: read it as the number it is. */
function statusOf(error: XRPCError): number {
  return error.status;
}

function describeXrpcError(error: XRPCError): string {
  const status = statusOf(error);
  // Below 100 the status is the library's own code for a failure without an HTTP answer.
  const details = [error.error && !error.message.includes(error.error) ? error.error : null, status >= 100 ? `HTTP ${status}` : null].filter(Boolean);
  return details.length > 0 ? `${error.message} (${details.join(', ')})` : error.message;
}

/** A network failure's own words are on its cause (fetch says only "fetch failed"). */
function describeCause(error: Error): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth += 1) {
    const text = messageOf(current);
    if (!parts.includes(text)) parts.push(text);
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join(': ');
}

function isTimeout(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && isPlainObject(current); depth += 1) {
    // Compared by name: errors made by Node's fetch may come from another realm than ours.
    if (current.name === 'TimeoutError') return true;
    current = current.cause;
  }
  return false;
}

/** A fetch that gives up after `timeoutMs`, whatever the caller's own signal says. */
function fetchWithTimeout(timeoutMs: number): typeof globalThis.fetch {
  return (input, init) => {
    const signals = [AbortSignal.timeout(timeoutMs)];
    const callerSignal = init?.signal ?? (input instanceof Request ? input.signal : null);
    if (callerSignal) signals.push(callerSignal);
    return globalThis.fetch(input, { ...init, signal: AbortSignal.any(signals) });
  };
}

function latest(dates: ReadonlyArray<Date | null>): Date | null {
  let newest: Date | null = null;
  for (const date of dates) if (date !== null && (newest === null || date > newest)) newest = date;
  return newest;
}
