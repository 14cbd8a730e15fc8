import { isPlainObject } from '../../src/common/json.util';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { BlueskySourceConfig } from '../../src/config/app-config';
import { FakePlatformServer, type FakeResponse, type RecordedRequest } from './fake-platform.server';

/** An account known to the fake. */
export interface FakeBlueskyAuthor {
  did: string;
  handle: string;
  displayName: string | null;
  followers: number;
}

/** What a test may say about a post; everything has a default. */
export interface FakeBlueskyPostInput {
  text?: string;
  /** The author's handle; the author is created on first use. */
  author?: string;
  displayName?: string | null;
  /** Sets the author's follower count (as getProfiles reports it). */
  followers?: number;
  /** A string is stored as-is, so a test can give an invalid date. Default: the fake's clock. */
  createdAt?: Date | string;
  /** When the app view indexed it. Default: createdAt (or the clock when createdAt is invalid). */
  indexedAt?: Date;
  langs?: string[];
  /** The uri of the post this one answers; the thread root is taken from that post. */
  replyTo?: string;
  likeCount?: number;
  repostCount?: number;
  quoteCount?: number;
  replyCount?: number;
  /** Replaces the generated record entirely, for records of unexpected shape. */
  record?: Record<string, unknown>;
}

/** A post as the fake stores it. */
export interface FakeBlueskyPost {
  uri: string;
  cid: string;
  rkey: string;
  author: FakeBlueskyAuthor;
  record: Record<string, unknown>;
  indexedAt: Date;
  /** What search sorts and filters by: the earlier of createdAt and indexedAt. */
  sortAt: Date;
  likeCount: number;
  repostCount: number;
  quoteCount: number;
  replyCount: number;
  deleted: boolean;
}

/** A reply the fake received through com.atproto.repo.createRecord. */
export interface FakeBlueskyReply {
  uri: string;
  cid: string;
  text: string;
  reply: { root: { uri: string; cid: string }; parent: { uri: string; cid: string } } | null;
  /** The whole record as sent (facets, langs, createdAt...). */
  record: Record<string, unknown>;
  repo: string;
}

export interface FakeBlueskyOptions {
  /** The brand account that logs in. Default `brand.bsky.social`. */
  handle?: string;
  /** Its app password. Default `abcd-efgh-ijkl-mnop`. */
  appPassword?: string;
}

const POST_COLLECTION = 'app.bsky.feed.post';
const DEFAULT_PAGE_SIZE = 25;
const MAX_PAGE_SIZE = 100;
const MAX_ACTORS_OR_URIS = 25;
const MAX_POST_GRAPHEMES = 300;
const RATE_LIMIT = 3000;
const RATE_LIMIT_WINDOW_SECONDS = 300;
const ACCESS_TOKEN_LIFETIME_SECONDS = 2 * 60 * 60;
const REFRESH_TOKEN_LIFETIME_SECONDS = 90 * 24 * 60 * 60;

/**
 * A fake Bluesky (PDS with its app view behind it) speaking XRPC, enough for @atproto/api:
 * sessions (create, refresh, get), searchPosts, getProfiles, getPosts and createRecord, with the
 * platform's error bodies (`{ error, message }`) and rate-limit headers.
 *
 * Faults go through `server` (the underlying FakePlatformServer), which also records every request.
 */
export class FakeBlueskyApi {
  /** The HTTP server: queue faults on it and read `requests`. */
  readonly server = new FakePlatformServer();
  /** The brand account tests log in as. */
  readonly account: FakeBlueskyAuthor & { appPassword: string; email: string };
  /** Every reply (post with reply refs) created through createRecord, in order. */
  readonly replies: FakeBlueskyReply[] = [];
  /** Every post created through createRecord, replies or not. */
  readonly created: FakeBlueskyPost[] = [];

  private readonly posts = new Map<string, FakeBlueskyPost>();
  private readonly authors = new Map<string, FakeBlueskyAuthor>();
  private readonly rawSearchItems: Array<{ item: unknown; sortAt: Date; key: string }> = [];
  private readonly accessTokens = new Map<string, { did: string; expired: boolean }>();
  private readonly refreshTokens = new Map<string, { did: string; revoked: boolean }>();
  private readonly signingSecret = randomBytes(32);
  private lastClockMs = 0;
  private lastTidMicros = 0;
  private postCounter = 0;
  private windowStartMs = Date.now();
  private requestsInWindow = 0;

  constructor(options: FakeBlueskyOptions = {}) {
    const handle = options.handle ?? 'brand.bsky.social';
    this.account = { ...this.authorFor(handle), appPassword: options.appPassword ?? 'abcd-efgh-ijkl-mnop', email: `team@${handle}` };
    this.registerRoutes();
  }

  get url(): string {
    return this.server.url;
  }

  async start(): Promise<this> {
    await this.server.start();
    return this;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  /** Settings that log the connectors in as the brand account of this fake. */
  settings(): BlueskySourceConfig {
    return { service: this.url, identifier: this.account.handle, appPassword: this.account.appPassword };
  }

  /** The author with this handle, created (with 0 followers) when new. */
  authorFor(handle: string, displayName?: string | null): FakeBlueskyAuthor {
    const key = handle.toLowerCase();
    let author = this.authors.get(key);
    if (!author) {
      author = { did: `did:plc:${base32(createHash('sha256').update(key).digest()).slice(0, 24)}`, handle: key, displayName: null, followers: 0 };
      this.authors.set(key, author);
    }
    if (displayName !== undefined) author.displayName = displayName;
    return author;
  }

  /** Adds one post; each new post is later than the previous one (1 ms apart at least). */
  addPost(input: FakeBlueskyPostInput = {}): FakeBlueskyPost {
    this.postCounter += 1;
    const author = this.authorFor(input.author ?? 'customer.bsky.social', input.displayName);
    if (input.followers !== undefined) author.followers = input.followers;
    const clock = this.tick();
    const createdAt =
      input.createdAt === undefined ? clock.toISOString() : typeof input.createdAt === 'string' ? input.createdAt : input.createdAt.toISOString();
    // A record given whole carries its own createdAt (or none): search sorts by that one.
    const sortedCreatedAt = input.record ? input.record.createdAt : createdAt;
    const createdAtDate = typeof sortedCreatedAt === 'string' ? Date.parse(sortedCreatedAt) : Number.NaN;
    const indexedAt = input.indexedAt ?? (Number.isNaN(createdAtDate) ? clock : new Date(createdAtDate));
    const rkey = this.nextTid();
    const uri = `at://${author.did}/${POST_COLLECTION}/${rkey}`;

    let record: Record<string, unknown>;
    if (input.record) {
      record = input.record;
    } else {
      record = { $type: POST_COLLECTION, text: input.text ?? `Post ${this.postCounter}`, createdAt };
      if (input.langs) record.langs = input.langs;
      if (input.replyTo !== undefined) {
        const parent = this.posts.get(input.replyTo);
        if (!parent) throw new Error(`FakeBlueskyApi: no post ${input.replyTo} to reply to`);
        const parentRef = { uri: parent.uri, cid: parent.cid };
        const root = threadRootOf(parent.record) ?? parentRef;
        record.reply = { root, parent: parentRef };
        parent.replyCount += 1;
      }
    }
    const post: FakeBlueskyPost = {
      uri,
      cid: fakeCid(`${uri}\n${JSON.stringify(record)}`),
      rkey,
      author,
      record,
      indexedAt,
      sortAt: Number.isNaN(createdAtDate) ? indexedAt : new Date(Math.min(createdAtDate, indexedAt.getTime())),
      likeCount: input.likeCount ?? 0,
      repostCount: input.repostCount ?? 0,
      quoteCount: input.quoteCount ?? 0,
      replyCount: input.replyCount ?? 0,
      deleted: false,
    };
    this.posts.set(uri, post);
    return post;
  }

  /** Adds `count` posts, oldest first; `make` gives each one's input from its index (0-based). */
  addPosts(count: number, make: (index: number) => FakeBlueskyPostInput = (index) => ({ text: `Post ${index + 1} about #halcyonair` })): FakeBlueskyPost[] {
    return Array.from({ length: count }, (_unused, index) => this.addPost(make(index)));
  }

  /**
   * Puts an item, verbatim, into every search result at `sortAt`: placeholders for deleted or
   * blocked posts, views of unexpected shape.
   */
  addRawSearchItem(item: unknown, sortAt: Date = this.tick()): void {
    this.rawSearchItems.push({ item, sortAt, key: `raw:${String(this.rawSearchItems.length).padStart(8, '0')}` });
  }

  getPost(uri: string): FakeBlueskyPost | undefined {
    return this.posts.get(uri);
  }

  /** Every post not deleted, oldest first. */
  livePosts(): FakeBlueskyPost[] {
    return [...this.posts.values()].filter((post) => !post.deleted).sort(compareOldestFirst);
  }

  /** The post disappears from search and getPosts, as a deleted record does. */
  deletePost(uri: string): void {
    const post = this.posts.get(uri);
    if (!post) throw new Error(`FakeBlueskyApi: no post ${uri}`);
    post.deleted = true;
  }

  /**
   * Bluesky has no edits: clients that offer one delete the record and create a new one, under a
   * new record key and with a new createdAt. The new post keeps the old one's author and reply refs.
   */
  editPost(uri: string, text: string): FakeBlueskyPost {
    const old = this.posts.get(uri);
    if (!old || old.deleted) throw new Error(`FakeBlueskyApi: no live post ${uri}`);
    this.deletePost(uri);
    const now = this.tick();
    return this.addPost({ author: old.author.handle, record: { ...old.record, text, createdAt: now.toISOString() }, indexedAt: now });
  }

  /** Every access token handed out so far now answers 400 ExpiredToken, which makes clients refresh. */
  expireAccessTokens(): void {
    for (const token of this.accessTokens.values()) token.expired = true;
  }

  /** Every refresh token handed out so far is refused, so only a new login helps. */
  revokeRefreshTokens(): void {
    for (const token of this.refreshTokens.values()) token.revoked = true;
  }

  /** The next `times` requests to `path` answer 429 RateLimitExceeded, with the window ending at `resetAt`. */
  rateLimitNext(resetAt: Date, times = 1, path = '/xrpc/app.bsky.feed.searchPosts'): void {
    const headers = {
      'ratelimit-limit': String(RATE_LIMIT),
      'ratelimit-remaining': '0',
      'ratelimit-reset': String(Math.ceil(resetAt.getTime() / 1000)),
      'ratelimit-policy': `${RATE_LIMIT};w=${RATE_LIMIT_WINDOW_SECONDS}`,
    };
    this.server.failNext({ kind: 'status', status: 429, headers, body: { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' } }, times, path);
  }

  /** The searchPosts requests received so far. */
  searchRequests(): RecordedRequest[] {
    return this.server.requestsTo('/xrpc/app.bsky.feed.searchPosts');
  }

  private registerRoutes(): void {
    const server = this.server;
    server.route('POST', '/xrpc/com.atproto.server.createSession', (request) => this.createSession(request));
    server.route('POST', '/xrpc/com.atproto.server.refreshSession', (request) => this.refreshSession(request));
    server.route('GET', '/xrpc/com.atproto.server.getSession', (request) => this.authenticated(request, (did) => this.ok(this.sessionInfo(did))));
    server.route('GET', '/xrpc/app.bsky.feed.searchPosts', (request) => this.authenticated(request, () => this.searchPosts(request)));
    server.route('GET', '/xrpc/app.bsky.actor.getProfiles', (request) => this.authenticated(request, () => this.getProfiles(request)));
    server.route('GET', '/xrpc/app.bsky.feed.getPosts', (request) => this.authenticated(request, () => this.getPosts(request)));
    server.route('POST', '/xrpc/com.atproto.repo.createRecord', (request) => this.authenticated(request, (did) => this.createRecord(request, did)));
  }

  private createSession(request: RecordedRequest): FakeResponse {
    const body = asObject(request.json);
    const identifier = typeof body?.identifier === 'string' ? body.identifier.toLowerCase() : null;
    const password = typeof body?.password === 'string' ? body.password : null;
    if (identifier === null || password === null) return xrpcError(400, 'InvalidRequest', 'Input must have the property "identifier" and "password"');
    const known = [this.account.handle, this.account.did, this.account.email].includes(identifier);
    if (!known || password !== this.account.appPassword) return xrpcError(401, 'AuthenticationRequired', 'Invalid identifier or password');
    return this.ok({ ...this.issueTokens(this.account.did), ...this.sessionInfo(this.account.did) });
  }

  private refreshSession(request: RecordedRequest): FakeResponse {
    const token = bearerOf(request);
    if (token === null) return xrpcError(401, 'AuthenticationRequired', 'Authentication Required');
    const entry = this.refreshTokens.get(token);
    if (!entry) return xrpcError(400, 'InvalidToken', 'Token could not be verified');
    if (entry.revoked) return xrpcError(400, 'ExpiredToken', 'Token has been revoked');
    // Refresh tokens are single-use: the old one is spent.
    entry.revoked = true;
    return this.ok({ ...this.issueTokens(entry.did), handle: this.account.handle, did: entry.did, active: true });
  }

  private sessionInfo(did: string): Record<string, unknown> {
    return { did, handle: this.account.handle, email: this.account.email, emailConfirmed: true, emailAuthFactor: false, active: true };
  }

  private issueTokens(did: string): { accessJwt: string; refreshJwt: string } {
    const accessJwt = this.jwt({ scope: 'com.atproto.appPass', sub: did, lifetime: ACCESS_TOKEN_LIFETIME_SECONDS, type: 'at+jwt' });
    const refreshJwt = this.jwt({ scope: 'com.atproto.refresh', sub: did, lifetime: REFRESH_TOKEN_LIFETIME_SECONDS, type: 'refresh+jwt' });
    this.accessTokens.set(accessJwt, { did, expired: false });
    this.refreshTokens.set(refreshJwt, { did, revoked: false });
    return { accessJwt, refreshJwt };
  }

  /** A real-looking JWT (header.payload.signature, base64url) with iat and exp, signed by the fake. */
  private jwt(claims: { scope: string; sub: string; lifetime: number; type: string }): string {
    const issuedAt = Math.floor(Date.now() / 1000);
    const header = base64url(JSON.stringify({ typ: claims.type, alg: 'HS256' }));
    const payload = base64url(
      JSON.stringify({
        scope: claims.scope,
        sub: claims.sub,
        aud: 'did:web:fake.bsky.invalid',
        iat: issuedAt,
        exp: issuedAt + claims.lifetime,
        jti: randomBytes(8).toString('hex'),
      }),
    );
    const signature = createHmac('sha256', this.signingSecret).update(`${header}.${payload}`).digest('base64url');
    return `${header}.${payload}.${signature}`;
  }

  private authenticated(request: RecordedRequest, handler: (did: string) => FakeResponse): FakeResponse {
    const token = bearerOf(request);
    if (token === null) return xrpcError(401, 'AuthenticationRequired', 'Authentication Required');
    const entry = this.accessTokens.get(token);
    if (!entry) return xrpcError(401, 'InvalidToken', 'Token could not be verified');
    if (entry.expired) return xrpcError(400, 'ExpiredToken', 'Token has expired');
    return handler(entry.did);
  }

  private searchPosts(request: RecordedRequest): FakeResponse {
    const query = request.query;
    const q = query.get('q');
    if (q === null || q.trim().length === 0) return xrpcError(400, 'InvalidRequest', 'Params must have the property "q"');
    const limit = query.has('limit') ? Number(query.get('limit')) : DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(limit) || limit < 1) return xrpcError(400, 'InvalidRequest', 'limit must be an integer of at least 1');
    if (limit > MAX_PAGE_SIZE) return xrpcError(400, 'InvalidRequest', `limit can not be greater than ${MAX_PAGE_SIZE}`);
    const sort = query.get('sort') ?? 'latest';
    if (sort !== 'latest' && sort !== 'top') return xrpcError(400, 'InvalidRequest', 'sort must be "latest" or "top"');
    const since = parseBound(query.get('since'));
    const until = parseBound(query.get('until'));
    if (since === 'invalid' || until === 'invalid') return xrpcError(400, 'BadQueryString', 'since and until must be datetimes or dates');
    const after = query.get('cursor') === null ? null : decodeSearchCursor(query.get('cursor') ?? '');
    if (after === 'invalid') return xrpcError(400, 'InvalidRequest', 'malformed cursor');

    const matches = matcherFor(q);
    const entries = [
      ...[...this.posts.values()]
        .filter((post) => !post.deleted && matches(post))
        .map((post) => ({ key: post.uri, sortAt: post.sortAt, view: () => this.postView(post) })),
      ...this.rawSearchItems.map((raw) => ({ key: raw.key, sortAt: raw.sortAt, view: () => raw.item })),
    ]
      .filter((entry) => (since === null || entry.sortAt >= since) && (until === null || entry.sortAt < until))
      // "top" is "latest" here: the fake has no notion of engagement ranking.
      .sort((a, b) => b.sortAt.getTime() - a.sortAt.getTime() || (a.key < b.key ? 1 : a.key > b.key ? -1 : 0));
    const start = after === null ? 0 : entries.findIndex((entry) => isAfter(entry, after));
    const remaining = start < 0 ? [] : entries.slice(start);
    const page = remaining.slice(0, limit);
    const last = page[page.length - 1];
    const more = remaining.length > page.length && last !== undefined;
    return this.ok({
      ...(more ? { cursor: encodeSearchCursor(last) } : {}),
      hitsTotal: entries.length,
      posts: page.map((entry) => entry.view()),
    });
  }

  private getProfiles(request: RecordedRequest): FakeResponse {
    const actors = request.query.getAll('actors');
    if (actors.length === 0) return xrpcError(400, 'InvalidRequest', 'Params must have the property "actors"');
    if (actors.length > MAX_ACTORS_OR_URIS) return xrpcError(400, 'InvalidRequest', `actors must not have more than ${MAX_ACTORS_OR_URIS} elements`);
    const profiles = actors
      .map((actor) => [...this.authors.values()].find((author) => author.did === actor || author.handle === actor.toLowerCase()))
      .filter((author): author is FakeBlueskyAuthor => author !== undefined)
      .map((author) => ({
        did: author.did,
        handle: author.handle,
        ...(author.displayName !== null ? { displayName: author.displayName } : {}),
        followersCount: author.followers,
        followsCount: 12,
        postsCount: [...this.posts.values()].filter((post) => post.author.did === author.did && !post.deleted).length,
        indexedAt: '2024-01-01T00:00:00.000Z',
        createdAt: '2024-01-01T00:00:00.000Z',
        labels: [],
      }));
    return this.ok({ profiles });
  }

  private getPosts(request: RecordedRequest): FakeResponse {
    const uris = request.query.getAll('uris');
    if (uris.length === 0) return xrpcError(400, 'InvalidRequest', 'Params must have the property "uris"');
    if (uris.length > MAX_ACTORS_OR_URIS) return xrpcError(400, 'InvalidRequest', `uris must not have more than ${MAX_ACTORS_OR_URIS} elements`);
    const posts = uris
      .map((uri) => this.posts.get(uri))
      .filter((post): post is FakeBlueskyPost => post !== undefined && !post.deleted)
      .map((post) => this.postView(post));
    return this.ok({ posts });
  }

  private createRecord(request: RecordedRequest, did: string): FakeResponse {
    const body = asObject(request.json);
    if (!body) return xrpcError(400, 'InvalidRequest', 'Input must be an object');
    if (body.repo !== did && body.repo !== this.account.handle) return xrpcError(403, 'InvalidToken', 'Can only write to your own repo');
    if (body.collection !== POST_COLLECTION) return xrpcError(400, 'InvalidRequest', `The fake only creates ${POST_COLLECTION} records`);
    const record = asObject(body.record);
    if (!record || typeof record.text !== 'string' || typeof record.createdAt !== 'string') {
      return xrpcError(400, 'InvalidRequest', `Invalid ${POST_COLLECTION} record: Record must have the properties "text" and "createdAt"`);
    }
    if (graphemeCount(record.text) > MAX_POST_GRAPHEMES) {
      return xrpcError(400, 'InvalidRequest', `Invalid ${POST_COLLECTION} record: Record/text must not be longer than ${MAX_POST_GRAPHEMES} graphemes`);
    }
    let reply: FakeBlueskyReply['reply'] = null;
    if (record.reply !== undefined) {
      const refs = asObject(record.reply);
      const root = strongRefOf(refs?.root);
      const parent = strongRefOf(refs?.parent);
      if (!root || !parent)
        return xrpcError(400, 'InvalidRequest', `Invalid ${POST_COLLECTION} record: Record/reply must have "root" and "parent" strong refs`);
      reply = { root, parent };
      const parentPost = this.posts.get(parent.uri);
      if (parentPost) parentPost.replyCount += 1;
    }
    const post = this.addPost({ author: this.account.handle, record: { ...record, $type: POST_COLLECTION } });
    this.created.push(post);
    if (reply) this.replies.push({ uri: post.uri, cid: post.cid, text: record.text, reply, record: post.record, repo: did });
    return this.ok({ uri: post.uri, cid: post.cid, commit: { cid: fakeCid(`commit ${post.uri}`), rev: post.rkey }, validationStatus: 'valid' });
  }

  private postView(post: FakeBlueskyPost): Record<string, unknown> {
    const author = post.author;
    return {
      uri: post.uri,
      cid: post.cid,
      author: {
        did: author.did,
        handle: author.handle,
        ...(author.displayName !== null ? { displayName: author.displayName } : {}),
        labels: [],
        createdAt: '2024-01-01T00:00:00.000Z',
      },
      record: post.record,
      replyCount: post.replyCount,
      repostCount: post.repostCount,
      likeCount: post.likeCount,
      quoteCount: post.quoteCount,
      bookmarkCount: 0,
      indexedAt: post.indexedAt.toISOString(),
      labels: [],
    };
  }

  /** A 200 with the rate-limit headers Bluesky sends on every answer. */
  private ok(body: unknown): FakeResponse {
    const nowMs = Date.now();
    if (nowMs - this.windowStartMs >= RATE_LIMIT_WINDOW_SECONDS * 1000) {
      this.windowStartMs = nowMs;
      this.requestsInWindow = 0;
    }
    this.requestsInWindow += 1;
    return {
      status: 200,
      headers: {
        'ratelimit-limit': String(RATE_LIMIT),
        'ratelimit-remaining': String(Math.max(0, RATE_LIMIT - this.requestsInWindow)),
        'ratelimit-reset': String(Math.ceil((this.windowStartMs + RATE_LIMIT_WINDOW_SECONDS * 1000) / 1000)),
        'ratelimit-policy': `${RATE_LIMIT};w=${RATE_LIMIT_WINDOW_SECONDS}`,
      },
      body,
    };
  }

  /** The fake's clock: now, but always at least 1 ms after the previous post. */
  private tick(): Date {
    this.lastClockMs = Math.max(Date.now(), this.lastClockMs + 1);
    return new Date(this.lastClockMs);
  }

  /** A record key in Bluesky's TID form: 13 sortable base32 characters of microseconds and a clock id. */
  private nextTid(): string {
    this.lastTidMicros = Math.max(Date.now() * 1000, this.lastTidMicros + 1);
    let value = (BigInt(this.lastTidMicros) << 10n) | 7n;
    const alphabet = '234567abcdefghijklmnopqrstuvwxyz';
    let tid = '';
    for (let index = 0; index < 13; index += 1) {
      tid = alphabet[Number(value & 31n)] + tid;
      value >>= 5n;
    }
    return tid;
  }
}

function xrpcError(status: number, error: string, message: string): FakeResponse {
  return { status, body: { error, message } };
}

function asObject(value: unknown): Record<string, unknown> | null {
  return isPlainObject(value) ? value : null;
}

function bearerOf(request: RecordedRequest): string | null {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer (.+)$/i.exec(header) : null;
  return match ? match[1] : null;
}

function strongRefOf(value: unknown): { uri: string; cid: string } | null {
  const ref = asObject(value);
  return ref && typeof ref.uri === 'string' && typeof ref.cid === 'string' ? { uri: ref.uri, cid: ref.cid } : null;
}

function threadRootOf(record: Record<string, unknown>): { uri: string; cid: string } | null {
  return strongRefOf(asObject(record.reply)?.root);
}

function compareOldestFirst(a: FakeBlueskyPost, b: FakeBlueskyPost): number {
  return a.sortAt.getTime() - b.sortAt.getTime() || (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0);
}

/**
 * Every part of the query must match (Bluesky's search has no OR): `mentions:<handle>` as an
 * @mention in the text, `from:<handle>` as the author, a "quoted phrase" or a word as a
 * case-insensitive substring of the text.
 */
function matcherFor(q: string): (post: FakeBlueskyPost) => boolean {
  const parts = (q.match(/"[^"]*"|\S+/g) ?? []).map((part) => part.toLowerCase());
  return (post) => {
    const text = typeof post.record.text === 'string' ? post.record.text.toLowerCase() : '';
    return parts.every((part) => {
      if (part.startsWith('mentions:')) return text.includes(`@${part.slice('mentions:'.length).replace(/^@/, '')}`);
      if (part.startsWith('from:')) {
        const who = part.slice('from:'.length).replace(/^@/, '');
        return post.author.handle === who || post.author.did === who;
      }
      const phrase = part.startsWith('"') && part.endsWith('"') && part.length >= 2 ? part.slice(1, -1) : part;
      return text.includes(phrase);
    });
  };
}

function parseBound(value: string | null): Date | null | 'invalid' {
  if (value === null) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? 'invalid' : new Date(time);
}

/** Pages continue strictly after the last item sent (keyset), so new posts never shift a page. */
function encodeSearchCursor(entry: { key: string; sortAt: Date }): string {
  return Buffer.from(`${entry.sortAt.getTime()}|${entry.key}`).toString('base64url');
}

function decodeSearchCursor(cursor: string): { sortAtMs: number; key: string } | 'invalid' {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const separator = decoded.indexOf('|');
  const sortAtMs = Number(decoded.slice(0, separator));
  if (separator < 0 || !Number.isFinite(sortAtMs)) return 'invalid';
  return { sortAtMs, key: decoded.slice(separator + 1) };
}

function isAfter(entry: { key: string; sortAt: Date }, after: { sortAtMs: number; key: string }): boolean {
  const time = entry.sortAt.getTime();
  return time < after.sortAtMs || (time === after.sortAtMs && entry.key < after.key);
}

function graphemeCount(text: string): number {
  return [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text)].length;
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function base32(bytes: Uint8Array): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let output = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      output += alphabet[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) output += alphabet[(buffer << (5 - bits)) & 31];
  return output;
}

/** A CIDv1 (dag-cbor, sha2-256) in base32, the form Bluesky's cids take: "bafyrei...". */
function fakeCid(content: string): string {
  const digest = createHash('sha256').update(content).digest();
  return `b${base32(Buffer.concat([Buffer.from([0x01, 0x71, 0x12, 0x20]), digest]))}`;
}
