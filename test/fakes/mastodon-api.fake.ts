import { isPlainObject } from '../../src/common/json.util';
import { FakePlatformServer, type FakeHandler, type FakeResponse, type RecordedRequest } from './fake-platform.server';

/*
 * A Mastodon server for tests and benchmarks, speaking the REST API as docs.joinmastodon.org
 * describes it (snake_case entities, Link headers, X-RateLimit-* headers, {"error": ...} bodies):
 *
 *   GET  /api/v1/accounts/verify_credentials
 *   GET  /api/v1/notifications            types[], exclude_types[], max_id, since_id, min_id, limit (default 40, max 80)
 *   GET  /api/v1/timelines/tag/:hashtag   max_id, since_id, min_id, limit (default 20, max 40)
 *   GET  /api/v2/search                   q, type, resolve, max_id, min_id, offset, limit (default 20, max 40)
 *   POST /api/v1/statuses                 status, in_reply_to_id, visibility, spoiler_text, language; Idempotency-Key
 *
 * Every request needs `Authorization: Bearer <token>`. Faults (429, 5xx, malformed JSON, slow,
 * hanging answers) are queued on `server`, or with the helpers below.
 */

/** An Account entity, as the API sends it. */
export interface FakeMastodonAccount {
  id: string;
  username: string;
  acct: string;
  display_name: string;
  locked: boolean;
  bot: boolean;
  discoverable: boolean;
  group: boolean;
  created_at: string;
  note: string;
  url: string;
  uri: string;
  avatar: string;
  avatar_static: string;
  header: string;
  header_static: string;
  followers_count: number;
  following_count: number;
  statuses_count: number;
  last_status_at: string | null;
  emojis: unknown[];
  fields: unknown[];
}

/** A Status entity, as the API sends it. */
export interface FakeMastodonStatus {
  id: string;
  uri: string;
  url: string | null;
  created_at: string;
  edited_at: string | null;
  account: FakeMastodonAccount;
  content: string;
  visibility: 'public' | 'unlisted' | 'private' | 'direct';
  sensitive: boolean;
  spoiler_text: string;
  language: string | null;
  in_reply_to_id: string | null;
  in_reply_to_account_id: string | null;
  reblog: FakeMastodonStatus | null;
  replies_count: number;
  reblogs_count: number;
  favourites_count: number;
  media_attachments: unknown[];
  mentions: Array<{ id: string; username: string; acct: string; url: string }>;
  tags: Array<{ name: string; url: string }>;
  emojis: unknown[];
  card: null;
  poll: null;
  application: { name: string; website: string | null } | null;
}

/** Who wrote a status: a user of this server, or of another one when `domain` is set. */
export interface FakeAuthorInput {
  username?: string;
  /** Another server's domain: the account is remote and its acct is username@domain. */
  domain?: string | null;
  displayName?: string;
  followersCount?: number;
}

export interface FakeStatusInput {
  /** Plain text, turned into Mastodon HTML (paragraphs, line breaks, hashtag and mention links). */
  text?: string;
  /** Raw HTML content, used as-is instead of `text`. */
  html?: string;
  spoilerText?: string;
  language?: string | null;
  author?: FakeAuthorInput;
  createdAt?: Date;
  visibility?: FakeMastodonStatus['visibility'];
  /** Hashtags the status carries besides those written in its text (without #). */
  tags?: string[];
  inReplyToId?: string | null;
  favouritesCount?: number;
  reblogsCount?: number;
  repliesCount?: number;
}

/** A reply the brand account posted through `POST /api/v1/statuses`. */
export interface FakeMastodonReply {
  /** The new status. */
  status: FakeMastodonStatus;
  /** The `status` text exactly as sent. */
  text: string;
  inReplyToId: string | null;
  visibility: string;
  idempotencyKey: string | null;
}

export interface FakeMastodonOptions {
  /** The access token requests must carry; default "mastodon-test-token". */
  token?: string;
  /** The brand account's username; default "halcyonair". */
  username?: string;
  /** The server's domain, used in uris and urls; default "mastodon.example". */
  domain?: string;
  /**
   * First status id. The default sits just below a power of ten, so ids soon grow a digit
   * ("99999999" then "100000000") and a client comparing them as plain strings goes wrong.
   */
  firstStatusId?: bigint;
  /** First notification id (notifications have their own sequence); default 990. */
  firstNotificationId?: bigint;
}

interface NotificationRecord {
  id: string;
  type: string;
  createdAt: string;
  accountId: string;
  statusId: string | null;
}

interface StatusRecord {
  entity: FakeMastodonStatus;
  /** Lower-cased plain text, for the search. */
  searchText: string;
  deleted: boolean;
}

interface RateLimitWindow {
  resetAt: number;
  used: number;
}

const RATE_LIMIT = 300;
const RATE_LIMIT_WINDOW_MS = 5 * 60 * 1000;

export class FakeMastodonApi {
  /** The underlying server: queue faults with `server.failNext(...)`, read `server.requests`. */
  readonly server = new FakePlatformServer();
  readonly token: string;
  readonly domain: string;
  /** The brand account, owner of the token. */
  readonly account: FakeMastodonAccount;
  /** Replies received, oldest first. */
  readonly replies: FakeMastodonReply[] = [];

  private readonly statuses = new Map<string, StatusRecord>();
  private readonly accounts = new Map<string, FakeMastodonAccount>();
  private readonly notifications: NotificationRecord[] = [];
  private readonly idempotentReplies = new Map<string, FakeMastodonStatus>();
  private readonly queuedAnswers: Array<{ pathPrefix: string | null; response: FakeResponse }> = [];
  private searchRefusal: { status: number; error: string } | null = null;
  private nextStatusId: bigint;
  private nextNotificationId: bigint;
  private nextAccountId = 1000n;
  private rateLimitWindow: RateLimitWindow = { resetAt: 0, used: 0 };

  constructor(options: FakeMastodonOptions = {}) {
    this.token = options.token ?? 'mastodon-test-token';
    this.domain = options.domain ?? 'mastodon.example';
    this.nextStatusId = options.firstStatusId ?? 99_999_990n;
    this.nextNotificationId = options.firstNotificationId ?? 990n;
    this.account = this.accountFor({ username: options.username ?? 'halcyonair', displayName: 'Halcyon Air', followersCount: 52_000 });
    this.registerRoutes();
  }

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

  /** A status mentioning the brand account, and the mention notification for it. */
  addMention(input: FakeStatusInput = {}): FakeMastodonStatus {
    const mention = `@${this.account.username}`;
    const text = input.html === undefined && !(input.text ?? '').includes(mention) ? `${mention} ${input.text ?? 'hello'}` : input.text;
    const status = this.addStatus({ ...input, text });
    this.addNotification('mention', status.id, status.account.id);
    return status;
  }

  /** A public status carrying `tag` (written into its text unless it is there already). */
  addTagStatus(tag: string, input: FakeStatusInput = {}): FakeMastodonStatus {
    const text = input.text ?? `Posted with #${tag}`;
    const written = new RegExp(`#${escapeRegExp(tag)}(?![\\p{L}\\p{N}_])`, 'iu').test(text);
    return this.addStatus({ ...input, text: input.html === undefined && !written ? `${text} #${tag}` : text, tags: [...(input.tags ?? []), tag] });
  }

  /** A status with no notification (found by search, or by tag if it carries one). */
  addStatus(input: FakeStatusInput = {}): FakeMastodonStatus {
    const account = input.author ? this.accountFor(input.author) : this.accountFor({ username: 'traveller', displayName: 'A Traveller', followersCount: 120 });
    const id = this.takeStatusId();
    const text = input.text ?? '';
    const tags = uniqueLowerCase([...hashtagsIn(text), ...(input.tags ?? [])]);
    const mentioned = text.includes(`@${this.account.username}`) ? [this.account] : [];
    const entity: FakeMastodonStatus = {
      id,
      ...this.addressesOf(account, id),
      created_at: (input.createdAt ?? new Date()).toISOString(),
      edited_at: null,
      account,
      content: input.html ?? this.renderHtml(text),
      visibility: input.visibility ?? 'public',
      sensitive: (input.spoilerText ?? '') !== '',
      spoiler_text: input.spoilerText ?? '',
      language: input.language === undefined ? 'en' : input.language,
      in_reply_to_id: input.inReplyToId ?? null,
      in_reply_to_account_id: input.inReplyToId ? (this.statuses.get(input.inReplyToId)?.entity.account.id ?? null) : null,
      reblog: null,
      replies_count: input.repliesCount ?? 0,
      reblogs_count: input.reblogsCount ?? 0,
      favourites_count: input.favouritesCount ?? 0,
      media_attachments: [],
      mentions: mentioned.map((target) => ({ id: target.id, username: target.username, acct: target.acct, url: target.url })),
      tags: tags.map((name) => ({ name, url: `https://${this.domain}/tags/${encodeURIComponent(name)}` })),
      emojis: [],
      card: null,
      poll: null,
      application: { name: 'Web', website: null },
    };
    this.statuses.set(id, { entity, searchText: (input.html === undefined ? text : stripTags(input.html)).toLowerCase(), deleted: false });
    account.statuses_count += 1;
    account.last_status_at = entity.created_at.slice(0, 10);
    return entity;
  }

  /** `count` statuses; `input` may depend on the index (0-based). Mentions get notifications. */
  addStatuses(
    count: number,
    input: FakeStatusInput | ((index: number) => FakeStatusInput) = {},
    kind: { mention?: boolean; tag?: string } = {},
  ): FakeMastodonStatus[] {
    const created: FakeMastodonStatus[] = [];
    for (let index = 0; index < count; index += 1) {
      const item = typeof input === 'function' ? input(index) : { ...input, text: input.text ?? `Status number ${index + 1}` };
      if (kind.mention) created.push(this.addMention(item));
      else if (kind.tag !== undefined) created.push(this.addTagStatus(kind.tag, item));
      else created.push(this.addStatus(item));
    }
    return created;
  }

  /**
   * A boost of `statusId` by another account. Mastodon leaves boosts out of tag timelines and
   * search; `tags` puts this one in tag timelines anyway, as a less careful server might.
   */
  addBoost(statusId: string, options: { author?: FakeAuthorInput; tags?: string[] } = {}): FakeMastodonStatus {
    const original = this.requireStatus(statusId);
    const booster = this.accountFor(options.author ?? { username: 'booster', displayName: 'Booster', followersCount: 5 });
    const id = this.takeStatusId();
    const entity: FakeMastodonStatus = {
      ...original,
      id,
      uri: `${booster.uri}/statuses/${id}/activity`,
      url: null,
      created_at: new Date().toISOString(),
      edited_at: null,
      account: booster,
      content: '',
      spoiler_text: '',
      in_reply_to_id: null,
      in_reply_to_account_id: null,
      reblog: original,
      mentions: [],
      tags: (options.tags ?? []).map((name) => ({ name: name.toLowerCase(), url: `https://${this.domain}/tags/${encodeURIComponent(name.toLowerCase())}` })),
    };
    original.reblogs_count += 1;
    this.statuses.set(id, { entity, searchText: '', deleted: false });
    return entity;
  }

  /** A notification of any type (e.g. "favourite" for `statusId`, "follow" without a status). */
  addNotification(type: string, statusId: string | null, fromAccountId?: string): string {
    const id = (this.nextNotificationId++).toString();
    const accountId = fromAccountId ?? (statusId ? this.requireStatus(statusId).account.id : this.account.id);
    this.notifications.push({ id, type, createdAt: new Date().toISOString(), accountId, statusId });
    return id;
  }

  /**
   * Deletes a status: it leaves timelines and search, and notifications about it keep arriving
   * with `status: null`, as servers do while the deletion is still being processed.
   */
  deleteStatus(id: string): void {
    this.requireRecord(id).deleted = true;
  }

  /** Edits a status in place: same id, new content, `edited_at` set. */
  editStatus(id: string, text: string): FakeMastodonStatus {
    const record = this.requireRecord(id);
    record.entity.content = this.renderHtml(text);
    record.entity.edited_at = new Date().toISOString();
    record.searchText = text.toLowerCase();
    return record.entity;
  }

  status(id: string): FakeMastodonStatus | undefined {
    return this.statuses.get(id)?.entity;
  }

  /**
   * Makes `GET /api/v2/search` refuse status searches like a server without full-text search
   * (resolving a URL still works, as it does there). `null` turns search back on.
   */
  refuseSearch(refusal: { status: number; error: string } | null = { status: 422, error: 'Full-text search is not enabled on this server' }): void {
    this.searchRefusal = refusal;
  }

  /** The next `times` requests (under `pathPrefix`) are refused with 429 until `resetAt`, like Mastodon. */
  rateLimitNext(resetAt: Date, times = 1, pathPrefix: string | null = null): void {
    this.server.failNext(
      {
        kind: 'status',
        status: 429,
        headers: { 'X-RateLimit-Limit': String(RATE_LIMIT), 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': resetAt.toISOString() },
        body: { error: 'Too many requests' },
      },
      times,
      pathPrefix,
    );
  }

  /**
   * The next request under `pathPrefix` gets exactly this answer (status, headers, raw body),
   * e.g. a proxy's HTML error page, which the base server's faults cannot send (they send JSON).
   */
  answerNext(response: FakeResponse, pathPrefix: string | null = null): void {
    this.queuedAnswers.push({ pathPrefix, response });
  }

  /** A proxy's HTML error page, e.g. 502 Bad Gateway, on the next request under `pathPrefix`. */
  failNextWithHtml(status: number, pathPrefix: string | null = null): void {
    this.answerNext(
      {
        status,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        raw: `<html><head><title>${status} Bad Gateway</title></head><body><center><h1>${status} Bad Gateway</h1></center><hr><center>nginx</center></body></html>`,
      },
      pathPrefix,
    );
  }

  private registerRoutes(): void {
    this.server
      .route(
        'GET',
        '/api/v1/accounts/verify_credentials',
        this.guarded(() => this.ok(this.credentialAccount())),
      )
      .route(
        'GET',
        '/api/v1/notifications',
        this.guarded((request) => this.listNotifications(request)),
      )
      .route(
        'GET',
        '/api/v1/timelines/tag/:hashtag',
        this.guarded((request, params) => this.listTag(request, params.hashtag ?? '')),
      )
      .route(
        'GET',
        '/api/v2/search',
        this.guarded((request) => this.search(request)),
      )
      .route(
        'POST',
        '/api/v1/statuses',
        this.guarded((request) => this.postStatus(request)),
      );
  }

  /** Queued answers first, then the token check, then the route. */
  private guarded(handler: FakeHandler): FakeHandler {
    return (request, params) => {
      const queued = this.queuedAnswers.findIndex((entry) => entry.pathPrefix === null || request.path.startsWith(entry.pathPrefix));
      if (queued >= 0) return this.queuedAnswers.splice(queued, 1)[0].response;
      if (request.headers.authorization !== `Bearer ${this.token}`) return { status: 401, body: { error: 'The access token is invalid' } };
      return handler(request, params);
    };
  }

  private ok(body: unknown, headers: Record<string, string> = {}, status = 200): FakeResponse {
    return { status, body, headers: { ...this.rateLimitHeaders(), ...headers } };
  }

  /** Mastodon reports its limit on every answer; this fake counts but does not enforce it. */
  private rateLimitHeaders(): Record<string, string> {
    const now = Date.now();
    if (now >= this.rateLimitWindow.resetAt) this.rateLimitWindow = { resetAt: now - (now % RATE_LIMIT_WINDOW_MS) + RATE_LIMIT_WINDOW_MS, used: 0 };
    this.rateLimitWindow.used += 1;
    return {
      'X-RateLimit-Limit': String(RATE_LIMIT),
      'X-RateLimit-Remaining': String(Math.max(0, RATE_LIMIT - this.rateLimitWindow.used)),
      'X-RateLimit-Reset': new Date(this.rateLimitWindow.resetAt).toISOString(),
    };
  }

  private credentialAccount(): unknown {
    return {
      ...this.account,
      source: { privacy: 'public', sensitive: false, language: 'en', note: '', fields: [], follow_requests_count: 0 },
      role: { id: '-99', name: '', permissions: '0', color: '', highlighted: false },
    };
  }

  private listNotifications(request: RecordedRequest): FakeResponse {
    const types = request.query.getAll('types[]');
    const excluded = request.query.getAll('exclude_types[]');
    const candidates = this.notifications.filter((item) => (types.length === 0 || types.includes(item.type)) && !excluded.includes(item.type));
    const page = paginate(candidates, request.query, 40, 80);
    const body = page.map((item) => ({
      id: item.id,
      type: item.type,
      group_key: `ungrouped-${item.id}`,
      created_at: item.createdAt,
      account: this.accounts.get(item.accountId) ?? this.account,
      status: item.statusId === null ? undefined : this.visibleStatus(item.statusId),
    }));
    return this.ok(body, linkHeader(request, page));
  }

  private listTag(request: RecordedRequest, hashtag: string): FakeResponse {
    const tag = hashtag.toLowerCase();
    const candidates = [...this.statuses.values()]
      .filter((record) => !record.deleted && record.entity.visibility === 'public' && record.entity.tags.some((item) => item.name === tag))
      .map((record) => record.entity);
    const page = paginate(candidates, request.query, 20, 40);
    return this.ok(page, linkHeader(request, page));
  }

  /**
   * Like Mastodon's StatusesSearchService: matches (every word of q) newest first, min_id and
   * max_id as bounds (not the page right above min_id), then offset and limit. No Link header.
   */
  private search(request: RecordedRequest): FakeResponse {
    const query = (request.query.get('q') ?? '').trim();
    const type = request.query.get('type');
    const empty = { accounts: [], statuses: [], hashtags: [] };
    if (query === '' || (type !== null && type !== 'statuses')) return this.ok(empty);
    if (/^https?:\/\//i.test(query)) {
      if (request.query.get('resolve') !== 'true') return this.ok(empty);
      const found = [...this.statuses.values()].find((record) => !record.deleted && (record.entity.uri === query || record.entity.url === query));
      return this.ok({ ...empty, statuses: found ? [found.entity] : [] });
    }
    if (this.searchRefusal) return { status: this.searchRefusal.status, body: { error: this.searchRefusal.error }, headers: this.rateLimitHeaders() };
    const words = query.toLowerCase().split(/\s+/);
    const minId = request.query.get('min_id');
    const maxId = request.query.get('max_id');
    const limit = clampLimit(request.query.get('limit'), 20, 40);
    const offset = Math.max(0, Number.parseInt(request.query.get('offset') ?? '0', 10) || 0);
    const matches = [...this.statuses.values()]
      .filter((record) => !record.deleted && record.entity.reblog === null && record.entity.visibility === 'public')
      .filter((record) => words.every((word) => record.searchText.includes(word)))
      .map((record) => record.entity)
      .filter((status) => (minId === null || compareIds(status.id, minId) > 0) && (maxId === null || compareIds(status.id, maxId) < 0))
      .sort((left, right) => compareIds(right.id, left.id));
    return this.ok({ ...empty, statuses: matches.slice(offset, offset + limit) });
  }

  private postStatus(request: RecordedRequest): FakeResponse {
    const body = isPlainObject(request.json) ? request.json : {};
    const text = typeof body.status === 'string' ? body.status : '';
    if (text.trim() === '') return { status: 422, body: { error: "Validation failed: Text can't be blank" } };
    const key = headerValue(request.headers['idempotency-key']);
    const repeated = key === null ? undefined : this.idempotentReplies.get(key);
    if (repeated) return this.ok(repeated);
    const inReplyToId = typeof body.in_reply_to_id === 'string' && body.in_reply_to_id !== '' ? body.in_reply_to_id : null;
    if (inReplyToId !== null) {
      const parent = this.statuses.get(inReplyToId);
      if (!parent || parent.deleted) return { status: 404, body: { error: 'Record not found' } };
      parent.entity.replies_count += 1;
    }
    const visibility = typeof body.visibility === 'string' ? body.visibility : 'public';
    const status = this.addStatus({
      text,
      author: { username: this.account.username },
      inReplyToId,
      visibility: isVisibility(visibility) ? visibility : 'public',
      spoilerText: typeof body.spoiler_text === 'string' ? body.spoiler_text : undefined,
      language: typeof body.language === 'string' ? body.language : undefined,
    });
    if (key !== null) this.idempotentReplies.set(key, status);
    this.replies.push({ status, text, inReplyToId, visibility, idempotencyKey: key });
    return this.ok(status);
  }

  private visibleStatus(id: string): FakeMastodonStatus | null {
    const record = this.statuses.get(id);
    return record && !record.deleted ? record.entity : null;
  }

  private requireRecord(id: string): StatusRecord {
    const record = this.statuses.get(id);
    if (!record) throw new Error(`FakeMastodonApi: no status ${id}`);
    return record;
  }

  private requireStatus(id: string): FakeMastodonStatus {
    return this.requireRecord(id).entity;
  }

  private takeStatusId(): string {
    return (this.nextStatusId++).toString();
  }

  /** The same username and domain always give the same account. */
  private accountFor(input: FakeAuthorInput): FakeMastodonAccount {
    const username = input.username ?? 'traveller';
    const domain = input.domain ?? null;
    const acct = domain ? `${username}@${domain}` : username;
    const existing = [...this.accounts.values()].find((account) => account.acct === acct);
    if (existing) return existing;
    const host = domain ?? this.domain;
    const account: FakeMastodonAccount = {
      id: (this.nextAccountId++).toString(),
      username,
      acct,
      display_name: input.displayName ?? username,
      locked: false,
      bot: false,
      discoverable: true,
      group: false,
      created_at: '2024-01-01T00:00:00.000Z',
      note: '',
      url: `https://${host}/@${username}`,
      uri: `https://${host}/users/${username}`,
      avatar: `https://${this.domain}/avatars/original/missing.png`,
      avatar_static: `https://${this.domain}/avatars/original/missing.png`,
      header: `https://${this.domain}/headers/original/missing.png`,
      header_static: `https://${this.domain}/headers/original/missing.png`,
      followers_count: input.followersCount ?? 0,
      following_count: 0,
      statuses_count: 0,
      last_status_at: null,
      emojis: [],
      fields: [],
    };
    this.accounts.set(account.id, account);
    return account;
  }

  private addressesOf(account: FakeMastodonAccount, id: string): { uri: string; url: string } {
    // Remote statuses keep their home server's addresses (their id there differs from ours).
    const home = account.acct.includes('@') ? `r${id}` : id;
    return { uri: `${account.uri}/statuses/${home}`, url: `${account.url}/${home}` };
  }

  /** Plain text as Mastodon renders it: escaped, paragraphs, <br />, and linked mentions, hashtags and URLs. */
  private renderHtml(text: string): string {
    if (text === '') return '';
    const linked = (line: string): string =>
      escapeHtml(line)
        .replace(/https?:\/\/[^\s<]+/g, (url) => {
          const scheme = /^https?:\/\//.exec(url)?.[0] ?? '';
          const rest = url.slice(scheme.length);
          const shown = rest.slice(0, 30);
          return `<a href="${url}" target="_blank" rel="nofollow noopener" translate="no"><span class="invisible">${scheme}</span><span class="${rest.length > 30 ? 'ellipsis' : ''}">${shown}</span><span class="invisible">${rest.slice(30)}</span></a>`;
        })
        .replace(/(^|[^\p{L}\p{N}_&/])#([\p{L}\p{N}_]+)/gu, (_whole, before: string, tag: string) => {
          return `${before}<a href="https://${this.domain}/tags/${encodeURIComponent(tag.toLowerCase())}" class="mention hashtag" rel="tag">#<span>${tag}</span></a>`;
        })
        .replace(new RegExp(`(^|\\s)@${escapeRegExp(this.account.username)}(?![\\p{L}\\p{N}_@])`, 'gu'), (_whole, before: string) => {
          return `${before}<span class="h-card" translate="no"><a href="${this.account.url}" class="u-url mention">@<span>${this.account.username}</span></a></span>`;
        });
    return text
      .split(/\n{2,}/)
      .map((paragraph) => `<p>${paragraph.split('\n').map(linked).join('<br />')}</p>`)
      .join('');
  }
}

type Identified = { id: string };

/** Mastodon ids are numeric strings: longer is newer, then lexical order. */
function compareIds(left: string, right: string): number {
  if (left.length !== right.length) return left.length - right.length;
  return left === right ? 0 : left < right ? -1 : 1;
}

function clampLimit(value: string | null, fallback: number, maximum: number): number {
  const parsed = Number.parseInt(value ?? '', 10);
  if (!Number.isFinite(parsed) || parsed <= 0) return fallback;
  return Math.min(parsed, maximum);
}

/**
 * Mastodon's paginate_by_id: newest first; max_id and since_id bound the range; with min_id the
 * page is the entries immediately newer than it (taken oldest first, then served newest first).
 */
function paginate<T extends Identified>(items: readonly T[], query: URLSearchParams, fallbackLimit: number, maximumLimit: number): T[] {
  const limit = clampLimit(query.get('limit'), fallbackLimit, maximumLimit);
  const maxId = query.get('max_id');
  const sinceId = query.get('since_id');
  const minId = query.get('min_id');
  const inRange = items
    .filter((item) => (maxId === null || compareIds(item.id, maxId) < 0) && (sinceId === null || compareIds(item.id, sinceId) > 0))
    .filter((item) => minId === null || compareIds(item.id, minId) > 0);
  if (minId !== null) {
    return inRange
      .sort((left, right) => compareIds(left.id, right.id))
      .slice(0, limit)
      .reverse();
  }
  return inRange.sort((left, right) => compareIds(right.id, left.id)).slice(0, limit);
}

/** `Link: <...max_id=oldest>; rel="next", <...min_id=newest>; rel="prev"`, keeping the other parameters. */
function linkHeader(request: RecordedRequest, page: readonly Identified[]): Record<string, string> {
  if (page.length === 0) return {};
  const base = `http://${headerValue(request.headers.host) ?? '127.0.0.1'}${request.path}`;
  const withCursor = (name: 'max_id' | 'min_id', id: string): string => {
    const query = new URLSearchParams(request.query);
    for (const key of ['max_id', 'min_id', 'since_id']) query.delete(key);
    query.set(name, id);
    return `${base}?${query.toString()}`;
  };
  return { Link: `<${withCursor('max_id', page[page.length - 1].id)}>; rel="next", <${withCursor('min_id', page[0].id)}>; rel="prev"` };
}

function headerValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? (value[0] ?? null) : value;
}

function isVisibility(value: string): value is FakeMastodonStatus['visibility'] {
  return value === 'public' || value === 'unlisted' || value === 'private' || value === 'direct';
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function stripTags(html: string): string {
  return html.replace(/<[^>]*>/g, ' ');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function hashtagsIn(text: string): string[] {
  return [...text.matchAll(/(?:^|[^\p{L}\p{N}_&/])#([\p{L}\p{N}_]+)/gu)].map((match) => match[1]);
}

function uniqueLowerCase(values: readonly string[]): string[] {
  return [...new Set(values.map((value) => value.toLowerCase()))];
}
