import { FakePlatformServer, type FakeResponse, type RecordedRequest } from './fake-platform.server';

/** X ids are "snowflakes": milliseconds since this moment, shifted left 22 bits, plus a sequence number. */
const X_EPOCH_MS = 1288834974657n;
const SEVEN_DAYS_MS = 7 * 24 * 60 * 60 * 1000;
const MAX_QUERY_LENGTH = 512;
const USERNAME = /^[A-Za-z0-9_]{1,15}$/;

/** The snowflake id X would give a post created at `date` (sequence 0). */
export function snowflakeAt(date: Date): string {
  return ((BigInt(date.getTime()) - X_EPOCH_MS) << 22n).toString();
}

/** When a snowflake id was made. */
export function snowflakeTime(id: string): Date {
  return new Date(Number((BigInt(id) >> 22n) + X_EPOCH_MS));
}

export interface FakeXUser {
  id: string;
  username: string;
  name: string;
  followers: number;
}

export interface FakeXMetrics {
  retweet_count: number;
  reply_count: number;
  like_count: number;
  quote_count: number;
}

/** A post as the fake holds it (text unescaped; the fake escapes &, < and > on the way out, as X does). */
export interface FakeXTweet {
  id: string;
  text: string;
  /** The whole text of a post longer than 280 characters (`text` then holds its first 280). */
  noteText: string | null;
  authorId: string;
  createdAt: Date;
  lang: string;
  conversationId: string;
  inReplyToTweetId: string | null;
  inReplyToUserId: string | null;
  retweetOfId: string | null;
  editHistory: string[];
  metrics: FakeXMetrics;
}

/** What a test says about a post; everything has a default. */
export interface FakeXTweetInput {
  id?: string;
  /** Longer than 280 characters: becomes a note tweet (`note_tweet.text`), with `text` cut to 280. */
  text?: string;
  /** A username (the user is created when new) or a user to create. */
  author?: string | (Partial<FakeXUser> & { username: string });
  createdAt?: Date;
  lang?: string;
  /** The post this one answers. */
  inReplyTo?: string;
  /** Makes this a retweet of that post ("RT @author: text"). */
  retweetOf?: string;
  metrics?: Partial<FakeXMetrics>;
}

/** A reply posted through `POST /2/tweets`. */
export interface FakeXReply {
  id: string;
  text: string;
  inReplyToTweetId: string | null;
  /** The Authorization header as received (an OAuth 1.0a header for a user-context client). */
  authorization: string;
  /** Parsed from the OAuth 1.0a header. */
  oauth: Record<string, string>;
  receivedAt: Date;
}

export interface FakeXApiOptions {
  /** The app-only token the fake accepts as `Authorization: Bearer <token>`. */
  bearerToken?: string;
  /** The fake's clock: the seven-day window of recent search and generated post times. */
  now?: () => Date;
  /** Text of generated posts (`addTweets(n)`), by 0-based index. */
  defaultText?: (index: number) => string;
  /** Username of generated posts' authors, by 0-based index. */
  defaultAuthor?: (index: number) => string;
}

interface StoredTweet extends FakeXTweet {
  key: bigint;
  /** Lower-cased full text, for matching. */
  searchText: string;
}

interface CompiledQuery {
  anyOf: Array<(tweet: StoredTweet) => boolean>;
  noneOf: Array<(tweet: StoredTweet) => boolean>;
}

type TimelineKind = 'search' | 'mentions';

const PROBLEM_HEADERS = { 'content-type': 'application/problem+json' };

/**
 * A fake X API v2 server for tests and the benchmark: recent search, user lookup by username,
 * mentions timelines and posting replies, with X's pagination, field selection, expansions,
 * rate-limit headers and problem bodies. Built on FakePlatformServer: queue faults on `server`
 * (`server.failNext(...)`) and read what it received on `server.requests`.
 *
 * Posts are kept in id order, so a page costs a binary search plus a walk over the posts it looks
 * at: 1,000 posts page quickly.
 */
export class FakeXApi {
  /** The underlying server: faults (`failNext`) and every request received (`requests`). */
  readonly server = new FakePlatformServer();
  /** Replies received through `POST /2/tweets`, oldest first. */
  readonly replies: FakeXReply[] = [];
  readonly bearerToken: string;
  /**
   * How many posts of each page are repeated at the start of the next page (0: none). X's paging
   * can repeat posts at page boundaries; this lets a test check that repeats do no harm.
   */
  pageOverlap = 0;

  private readonly now: () => Date;
  private readonly defaultText: (index: number) => string;
  private readonly defaultAuthor: (index: number) => string;
  private readonly usersById = new Map<string, FakeXUser>();
  private readonly usersByName = new Map<string, FakeXUser>();
  private readonly tweetsById = new Map<string, StoredTweet>();
  /** Current versions of posts, ascending by id (edited-away versions and deleted posts are not here). */
  private readonly timeline: StoredTweet[] = [];
  private lastId = 0n;
  private nextUserId = 2_244_994_945n;
  private generated = 0;

  constructor(options: FakeXApiOptions = {}) {
    this.bearerToken = options.bearerToken ?? 'fake-x-bearer-token';
    this.now = options.now ?? (() => new Date());
    this.defaultText = options.defaultText ?? ((index) => `@HalcyonAir post number ${index + 1}`);
    this.defaultAuthor = options.defaultAuthor ?? ((index) => `customer${index % 50}`);
    this.server
      .route('GET', '/2/tweets/search/recent', (request) => this.timelinePage(request, 'search', null))
      .route('GET', '/2/users/by/username/:username', (request, params) => this.userLookup(request, params.username))
      .route('GET', '/2/users/:id/mentions', (request, params) => this.mentions(request, params.id))
      .route('POST', '/2/tweets', (request) => this.postTweet(request));
  }

  /** Base URL to configure as `sources.x.apiBaseUrl`. */
  get url(): string {
    return this.server.url;
  }

  async start(): Promise<this> {
    await this.server.start();
    return this;
  }

  async stop(): Promise<void> {
    await this.server.stop();
  }

  /** Adds (or returns the existing) user with this username. */
  addUser(user: Partial<FakeXUser> & { username: string }): FakeXUser {
    const existing = this.usersByName.get(user.username.toLowerCase());
    if (existing) return existing;
    const created: FakeXUser = {
      id: user.id ?? (this.nextUserId++).toString(),
      username: user.username,
      name: user.name ?? user.username,
      followers: user.followers ?? 100,
    };
    this.usersById.set(created.id, created);
    this.usersByName.set(created.username.toLowerCase(), created);
    return created;
  }

  user(username: string): FakeXUser | undefined {
    return this.usersByName.get(username.toLowerCase());
  }

  /** Adds one post; its id is newer than every id so far unless given. */
  addTweet(input: FakeXTweetInput = {}): FakeXTweet {
    const index = this.generated++;
    const createdAt = input.createdAt ?? this.now();
    const author = typeof input.author === 'object' ? this.addUser(input.author) : this.addUser({ username: input.author ?? this.defaultAuthor(index) });
    const id = input.id ?? this.newId(createdAt);
    if (this.tweetsById.has(id)) throw new Error(`FakeXApi: a post with id ${id} exists already`);
    const parent = input.inReplyTo !== undefined ? this.tweetsById.get(input.inReplyTo) : undefined;
    const original = input.retweetOf !== undefined ? this.tweetsById.get(input.retweetOf) : undefined;
    if (input.retweetOf !== undefined && !original) throw new Error(`FakeXApi: cannot retweet unknown post ${input.retweetOf}`);
    const originalAuthor = original ? this.usersById.get(original.authorId) : undefined;
    const fullText = original ? `RT @${originalAuthor?.username ?? 'unknown'}: ${original.noteText ?? original.text}` : (input.text ?? this.defaultText(index));
    const isNote = [...fullText].length > 280;
    const tweet: StoredTweet = {
      id,
      key: BigInt(id),
      text: isNote ? [...fullText].slice(0, 280).join('') : fullText,
      noteText: isNote ? fullText : null,
      searchText: fullText.toLowerCase(),
      authorId: author.id,
      createdAt,
      lang: input.lang ?? 'en',
      conversationId: parent?.conversationId ?? input.inReplyTo ?? id,
      inReplyToTweetId: input.inReplyTo ?? null,
      inReplyToUserId: parent?.authorId ?? null,
      retweetOfId: original?.id ?? null,
      editHistory: [id],
      metrics: { retweet_count: 0, reply_count: 0, like_count: 0, quote_count: 0, ...input.metrics },
    };
    this.store(tweet);
    return publicTweet(tweet);
  }

  /** Adds `count` generated posts (1 second apart, the last one now), or the given list; oldest first. */
  addTweets(countOrList: number | readonly FakeXTweetInput[], template: (index: number) => FakeXTweetInput = () => ({})): FakeXTweet[] {
    if (typeof countOrList !== 'number') return countOrList.map((input) => this.addTweet(input));
    const now = this.now().getTime();
    return Array.from({ length: countOrList }, (_unused, index) =>
      this.addTweet({ createdAt: new Date(now - (countOrList - 1 - index) * 1000), ...template(index) }),
    );
  }

  /** Deletes a post, and with it its whole edit chain (as X does). */
  deleteTweet(id: string): void {
    const tweet = this.tweetsById.get(id);
    if (!tweet) throw new Error(`FakeXApi: no post ${id}`);
    for (const versionId of tweet.editHistory) {
      const version = this.tweetsById.get(versionId);
      if (!version) continue;
      this.tweetsById.delete(versionId);
      this.removeFromTimeline(version);
    }
  }

  /**
   * Edits a post as X does: the edit is a new post with a new (newer) id whose
   * `edit_history_tweet_ids` lists every version, oldest first; search then returns only the newest version.
   */
  editTweet(id: string, text: string): FakeXTweet {
    const previous = this.tweetsById.get(id);
    if (!previous) throw new Error(`FakeXApi: no post ${id}`);
    const latestId = previous.editHistory[previous.editHistory.length - 1];
    const latest = this.tweetsById.get(latestId)!;
    const createdAt = this.now();
    const newId = this.newId(createdAt);
    const isNote = [...text].length > 280;
    const edited: StoredTweet = {
      ...latest,
      id: newId,
      key: BigInt(newId),
      text: isNote ? [...text].slice(0, 280).join('') : text,
      noteText: isNote ? text : null,
      searchText: text.toLowerCase(),
      createdAt,
      editHistory: [...latest.editHistory, newId],
      metrics: { retweet_count: 0, reply_count: 0, like_count: 0, quote_count: 0 },
    };
    this.removeFromTimeline(latest);
    this.store(edited);
    for (const versionId of edited.editHistory) {
      const version = this.tweetsById.get(versionId);
      if (version) version.editHistory = edited.editHistory;
    }
    return publicTweet(edited);
  }

  /** The current posts, newest first. */
  get tweets(): FakeXTweet[] {
    return [...this.timeline].reverse().map(publicTweet);
  }

  /** The next `times` requests under `pathPrefix` answer 429 with X's rate-limit headers and problem body. */
  rateLimitNext(times: number, resetAt: Date, pathPrefix = '/2/'): this {
    this.server.failNext(
      {
        kind: 'status',
        status: 429,
        headers: {
          'x-rate-limit-limit': '450',
          'x-rate-limit-remaining': '0',
          'x-rate-limit-reset': String(Math.floor(resetAt.getTime() / 1000)),
        },
        body: { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 },
      },
      times,
      pathPrefix,
    );
    return this;
  }

  /* ---------------------------------------------------------------------------------------- */

  private newId(createdAt: Date): string {
    const fromTime = BigInt(snowflakeAt(createdAt));
    this.lastId = fromTime > this.lastId ? fromTime : this.lastId + 1n;
    return this.lastId.toString();
  }

  private store(tweet: StoredTweet): void {
    this.tweetsById.set(tweet.id, tweet);
    if (tweet.key > this.lastId) this.lastId = tweet.key;
    const last = this.timeline[this.timeline.length - 1];
    if (!last || last.key < tweet.key) this.timeline.push(tweet);
    else this.timeline.splice(this.firstIndexAbove(tweet.key - 1n), 0, tweet);
  }

  private removeFromTimeline(tweet: StoredTweet): void {
    const index = this.firstIndexAbove(tweet.key - 1n);
    if (this.timeline[index]?.key === tweet.key) this.timeline.splice(index, 1);
  }

  /** Index of the first post whose id is greater than `key` (timeline.length when none). */
  private firstIndexAbove(key: bigint): number {
    let low = 0;
    let high = this.timeline.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.timeline[middle].key > key) high = middle;
      else low = middle + 1;
    }
    return low;
  }

  private authorized(request: RecordedRequest): boolean {
    const header = request.headers.authorization ?? '';
    return header === `Bearer ${this.bearerToken}` || header.startsWith('OAuth ');
  }

  private mentions(request: RecordedRequest, userId: string): FakeResponse {
    if (!this.authorized(request)) return unauthorized();
    if (!/^\d+$/.test(userId)) return invalidRequest('id', userId, `The \`id\` query parameter value [${userId}] does not match ^[0-9]{1,19}$`);
    const user = this.usersById.get(userId);
    if (!user) return notFound('user', 'id', userId, `Could not find user with id: [${userId}].`);
    return this.timelinePage(request, 'mentions', user);
  }

  /** One page of recent search or of a mentions timeline, newest first. */
  private timelinePage(request: RecordedRequest, kind: TimelineKind, mentioned: FakeXUser | null): FakeResponse {
    if (!this.authorized(request)) return unauthorized();
    const query = request.query;
    const now = this.now().getTime();

    let compiled: CompiledQuery;
    if (kind === 'search') {
      const text = query.get('query');
      if (!text) return invalidRequest('query', '', 'The `query` query parameter can not be empty');
      if (text.length > MAX_QUERY_LENGTH) {
        return invalidRequest('query', text, `The \`query\` query parameter value [${text}] is too long (${text.length} > ${MAX_QUERY_LENGTH})`);
      }
      compiled = this.compileQuery(text);
    } else {
      const mention = `@${mentioned!.username.toLowerCase()}`;
      compiled = { anyOf: [(tweet) => containsTerm(tweet.searchText, mention)], noneOf: [] };
    }

    const minimum = kind === 'search' ? 10 : 5;
    const maxResultsText = query.get('max_results') ?? '10';
    const maxResults = /^\d+$/.test(maxResultsText) ? Number(maxResultsText) : NaN;
    if (!(maxResults >= minimum && maxResults <= 100)) {
      return invalidRequest('max_results', maxResultsText, `The \`max_results\` query parameter value [${maxResultsText}] is not between ${minimum} and 100`);
    }

    const sinceId = query.get('since_id');
    const untilId = query.get('until_id');
    for (const [name, value] of [
      ['since_id', sinceId],
      ['until_id', untilId],
    ] as const) {
      if (value !== null && !/^\d{1,19}$/.test(value))
        return invalidRequest(name, value, `The \`${name}\` query parameter value [${value}] does not match ^[0-9]{1,19}$`);
    }
    const windowStart = kind === 'search' ? now - SEVEN_DAYS_MS : -Infinity;
    if (sinceId !== null && snowflakeTime(sinceId).getTime() < windowStart) {
      return invalidRequest(
        'since_id',
        sinceId,
        `Invalid 'since_id':'${sinceId}'. 'since_id' must be a tweet id created after ${new Date(windowStart).toISOString()}. Please make a request to the full-archive search endpoint for results older than 7 days.`,
      );
    }
    const startTime = parseTime(query.get('start_time'));
    const endTime = parseTime(query.get('end_time'));
    if (startTime === 'invalid' || endTime === 'invalid') {
      const name = startTime === 'invalid' ? 'start_time' : 'end_time';
      return invalidRequest(name, query.get(name)!, `Invalid '${name}':'${query.get(name)}'. '${name}' must be an RFC 3339 date-time`);
    }
    if (startTime !== null && startTime < windowStart) {
      return invalidRequest(
        'start_time',
        query.get('start_time')!,
        `Invalid 'start_time':'${query.get('start_time')}'. 'start_time' must be on or after ${new Date(windowStart).toISOString()}`,
      );
    }

    const tokenName = kind === 'search' ? 'next_token' : 'pagination_token';
    const token = query.get(tokenName) ?? (kind === 'search' ? query.get('pagination_token') : null);
    let upperBound: bigint | null = untilId !== null ? BigInt(untilId) : null;
    if (token !== null) {
      const fromToken = decodePageToken(token, kind);
      if (fromToken === null) return invalidRequest(tokenName, token, `The \`${tokenName}\` query parameter value [${token}] is not valid`);
      if (upperBound === null || fromToken < upperBound) upperBound = fromToken;
    }

    const lowest = sinceId !== null ? this.firstIndexAbove(BigInt(sinceId)) : 0;
    const page: StoredTweet[] = [];
    let more = false;
    for (let index = (upperBound !== null ? this.firstIndexAbove(upperBound - 1n) : this.timeline.length) - 1; index >= lowest; index -= 1) {
      const tweet = this.timeline[index];
      const created = tweet.createdAt.getTime();
      if (created < windowStart || (startTime !== null && created < startTime) || (endTime !== null && created > endTime)) continue;
      if (!matches(compiled, tweet)) continue;
      if (page.length === maxResults) {
        more = true;
        break;
      }
      page.push(tweet);
    }

    const meta: Record<string, unknown> = { result_count: page.length };
    if (page.length > 0) {
      meta.newest_id = page[0].id;
      meta.oldest_id = page[page.length - 1].id;
    }
    if (more) {
      const overlap = Math.max(0, Math.min(this.pageOverlap, page.length - 1));
      meta.next_token = encodePageToken(page[page.length - 1 - overlap].key, kind);
    }
    const body: Record<string, unknown> = page.length > 0 ? { data: page.map((tweet) => this.renderTweet(tweet, query)) } : {};
    const includes = this.renderIncludes(page, query);
    if (includes) body.includes = includes;
    body.meta = meta;
    return { status: 200, headers: rateLimitHeaders(now, kind === 'search' ? 450 : 300), body };
  }

  private userLookup(request: RecordedRequest, username: string): FakeResponse {
    if (!this.authorized(request)) return unauthorized();
    if (!USERNAME.test(username))
      return invalidRequest('username', username, `The \`username\` query parameter value [${username}] does not match ^[A-Za-z0-9_]{1,15}$`);
    const user = this.usersByName.get(username.toLowerCase());
    if (!user) return notFound('user', 'username', username, `Could not find user with username: [${username}].`);
    return { status: 200, headers: rateLimitHeaders(this.now().getTime(), 300), body: { data: this.renderUser(user, request.query) } };
  }

  private postTweet(request: RecordedRequest): FakeResponse {
    const authorization = request.headers.authorization ?? '';
    if (authorization.startsWith('Bearer ')) {
      return {
        status: 403,
        headers: PROBLEM_HEADERS,
        body: {
          title: 'Unsupported Authentication',
          detail:
            'Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  Supported authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].',
          type: 'https://api.twitter.com/2/problems/unsupported-authentication',
          status: 403,
        },
      };
    }
    const oauth = parseOAuthHeader(authorization);
    if (!oauth || !oauth.oauth_consumer_key || !oauth.oauth_token || !oauth.oauth_signature || oauth.oauth_signature_method !== 'HMAC-SHA1')
      return unauthorized();
    const body = request.json;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return invalidBody('The request body must be a JSON object');
    }
    const { text, reply } = body as { text?: unknown; reply?: unknown };
    if (typeof text !== 'string' || text.trim() === '') return invalidBody('$.text: must not be empty');
    let inReplyTo: string | null = null;
    if (reply !== undefined) {
      const target = typeof reply === 'object' && reply !== null ? (reply as { in_reply_to_tweet_id?: unknown }).in_reply_to_tweet_id : undefined;
      if (typeof target !== 'string' || !/^\d{1,19}$/.test(target)) return invalidBody('$.reply.in_reply_to_tweet_id: must be a post id');
      if (!this.tweetsById.has(target)) {
        return {
          status: 403,
          headers: PROBLEM_HEADERS,
          body: { title: 'Forbidden', detail: 'You attempted to reply to a Tweet that is deleted or not visible to you.', type: 'about:blank', status: 403 },
        };
      }
      inReplyTo = target;
    }
    const id = this.newId(this.now());
    this.replies.push({ id, text, inReplyToTweetId: inReplyTo, authorization, oauth, receivedAt: new Date() });
    return { status: 201, headers: rateLimitHeaders(this.now().getTime(), 200), body: { data: { id, text, edit_history_tweet_ids: [id] } } };
  }

  /** Only the fields asked for, as X does: id, text and edit history always, the rest on request. */
  private renderTweet(tweet: StoredTweet, query: URLSearchParams): Record<string, unknown> {
    const fields = listParameter(query, 'tweet.fields');
    const rendered: Record<string, unknown> = { id: tweet.id, text: escapeText(tweet.text), edit_history_tweet_ids: [...tweet.editHistory] };
    if (fields.has('created_at')) rendered.created_at = tweet.createdAt.toISOString();
    if (fields.has('author_id')) rendered.author_id = tweet.authorId;
    if (fields.has('conversation_id')) rendered.conversation_id = tweet.conversationId;
    if (fields.has('lang')) rendered.lang = tweet.lang;
    if (fields.has('in_reply_to_user_id') && tweet.inReplyToUserId !== null) rendered.in_reply_to_user_id = tweet.inReplyToUserId;
    if (fields.has('public_metrics')) rendered.public_metrics = { ...tweet.metrics, bookmark_count: 0, impression_count: 0 };
    if (fields.has('note_tweet') && tweet.noteText !== null) rendered.note_tweet = { text: escapeText(tweet.noteText) };
    if (fields.has('referenced_tweets')) {
      const references: Array<{ type: string; id: string }> = [];
      if (tweet.inReplyToTweetId !== null) references.push({ type: 'replied_to', id: tweet.inReplyToTweetId });
      if (tweet.retweetOfId !== null) references.push({ type: 'retweeted', id: tweet.retweetOfId });
      if (references.length > 0) rendered.referenced_tweets = references;
    }
    return rendered;
  }

  private renderIncludes(page: readonly StoredTweet[], query: URLSearchParams): Record<string, unknown> | null {
    if (!listParameter(query, 'expansions').has('author_id') || page.length === 0) return null;
    const authorIds = [...new Set(page.map((tweet) => tweet.authorId))];
    const users = authorIds.flatMap((id) => {
      const user = this.usersById.get(id);
      return user ? [this.renderUser(user, query)] : [];
    });
    return users.length > 0 ? { users } : null;
  }

  private renderUser(user: FakeXUser, query: URLSearchParams): Record<string, unknown> {
    const rendered: Record<string, unknown> = { id: user.id, name: user.name, username: user.username };
    if (listParameter(query, 'user.fields').has('public_metrics')) {
      rendered.public_metrics = { followers_count: user.followers, following_count: 10, tweet_count: 100, listed_count: 0, like_count: 0 };
    }
    return rendered;
  }

  /**
   * The part of X's query language the connector uses: terms (words, "phrases", @handles,
   * #hashtags) of which any must match, `from:`, and negations (`-is:retweet`, `-from:`, `-term`).
   */
  private compileQuery(text: string): CompiledQuery {
    const compiled: CompiledQuery = { anyOf: [], noneOf: [] };
    for (const token of text.match(/-?"[^"]*"|[()]|-?[^\s()"]+/g) ?? []) {
      if (token === '(' || token === ')' || token === 'OR' || token === 'AND') continue;
      const negated = token.startsWith('-');
      const term = negated ? token.slice(1) : token;
      let test: (tweet: StoredTweet) => boolean;
      if (term === 'is:retweet') test = (tweet) => tweet.retweetOfId !== null;
      else if (term.toLowerCase().startsWith('from:')) {
        const username = term.slice(5).toLowerCase();
        test = (tweet) => this.usersById.get(tweet.authorId)?.username.toLowerCase() === username;
      } else {
        const phrase = term.replace(/^"|"$/g, '').toLowerCase();
        test = (tweet) => containsTerm(tweet.searchText, phrase);
      }
      (negated ? compiled.noneOf : compiled.anyOf).push(test);
    }
    return compiled;
  }
}

function matches(query: CompiledQuery, tweet: StoredTweet): boolean {
  if (query.anyOf.length > 0 && !query.anyOf.some((test) => test(tweet))) return false;
  return !query.noneOf.some((test) => test(tweet));
}

/** A term stands alone: "@halcyonair" does not match "@halcyonairfan", "halcyonair" matches "#halcyonair". */
function containsTerm(lowerText: string, term: string): boolean {
  if (term === '') return false;
  let from = 0;
  for (;;) {
    const at = lowerText.indexOf(term, from);
    if (at < 0) return false;
    const before = at === 0 ? '' : lowerText[at - 1];
    const after = lowerText[at + term.length] ?? '';
    if (!isWordCharacter(before) && !isWordCharacter(after)) return true;
    from = at + 1;
  }
}

function isWordCharacter(character: string): boolean {
  return /^[\p{L}\p{N}_]$/u.test(character);
}

/** X escapes these three in post text. */
function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function publicTweet(tweet: StoredTweet): FakeXTweet {
  const { key: _key, searchText: _searchText, ...rest } = tweet;
  return { ...rest, editHistory: [...rest.editHistory], metrics: { ...rest.metrics } };
}

function listParameter(query: URLSearchParams, name: string): Set<string> {
  return new Set((query.get(name) ?? '').split(',').filter((value) => value !== ''));
}

function parseTime(value: string | null): number | null | 'invalid' {
  if (value === null) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? 'invalid' : time;
}

/** Opaque to clients, like X's: which timeline it belongs to and the id the next page stays below. */
function encodePageToken(below: bigint, kind: TimelineKind): string {
  return Buffer.from(`${kind}:${below.toString(36)}`).toString('base64url');
}

function decodePageToken(token: string, kind: TimelineKind): bigint | null {
  const decoded = Buffer.from(token, 'base64url').toString('utf8');
  const match = /^(search|mentions):([0-9a-z]+)$/.exec(decoded);
  if (!match || match[1] !== kind) return null;
  let value = 0n;
  for (const digit of match[2]) value = value * 36n + BigInt(parseInt(digit, 36));
  return value;
}

function parseOAuthHeader(header: string): Record<string, string> | null {
  if (!header.startsWith('OAuth ')) return null;
  const values: Record<string, string> = {};
  for (const part of header.slice(6).split(',')) {
    const match = /^\s*([a-z_]+)="([^"]*)"\s*$/.exec(part);
    if (match) values[match[1]] = decodeURIComponent(match[2]);
  }
  return values;
}

function rateLimitHeaders(now: number, limit: number): Record<string, string> {
  return {
    'x-rate-limit-limit': String(limit),
    'x-rate-limit-remaining': String(limit - 1),
    'x-rate-limit-reset': String(Math.floor(now / 1000) + 15 * 60),
  };
}

function unauthorized(): FakeResponse {
  return { status: 401, headers: PROBLEM_HEADERS, body: { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' } };
}

function invalidRequest(parameter: string, value: string, message: string): FakeResponse {
  return {
    status: 400,
    headers: PROBLEM_HEADERS,
    body: {
      errors: [{ parameters: { [parameter]: [value] }, message }],
      title: 'Invalid Request',
      detail: 'One or more parameters to your request was invalid.',
      type: 'https://api.twitter.com/2/problems/invalid-request',
    },
  };
}

function invalidBody(message: string): FakeResponse {
  return {
    status: 400,
    headers: PROBLEM_HEADERS,
    body: {
      errors: [{ message }],
      title: 'Invalid Request',
      detail: 'One or more parameters to your request was invalid.',
      type: 'https://api.twitter.com/2/problems/invalid-request',
    },
  };
}

/** X answers a lookup of something missing with 200 and an `errors` array, not with 404. */
function notFound(resourceType: string, parameter: string, value: string, detail: string): FakeResponse {
  return {
    status: 200,
    body: {
      errors: [
        {
          value,
          detail,
          title: 'Not Found Error',
          resource_type: resourceType,
          parameter,
          resource_id: value,
          type: 'https://api.twitter.com/2/problems/resource-not-found',
        },
      ],
    },
  };
}
