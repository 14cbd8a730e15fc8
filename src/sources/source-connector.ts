import type { Platform } from '../domain/brands/brand';
import type { IncomingPost } from '../domain/posts/incoming-post';

/** Where a source got to, as JSON: stored with the posts in one transaction. */
export type SourceCursor = Record<string, unknown>;

export interface FetchOptions {
  now: Date;
  /** At most this many posts per fetch; the rest come on the next one. */
  limit: number;
}

export interface FetchResult {
  posts: IncomingPost[];
  cursor: SourceCursor;
  /** False when more posts are waiting, so the poller fetches again at once. */
  caughtUp: boolean;
}

/**
 * One platform feed. A connector only translates the platform's API into IncomingPosts and a
 * cursor; storing, scoring and triage happen behind it, the same for every platform.
 *
 * A fetch either returns a page and the cursor after it, or throws. It never half-succeeds:
 * the poller stores the page and the cursor together, so a failure anywhere means the same
 * page is fetched again, and duplicates are dropped on (platform, external id).
 */
export interface SourceConnector {
  /** Stable id stored on the source row and on each post, e.g. "demo" or "x:halcyon-air:search". */
  readonly id: string;
  readonly platform: Platform;
  readonly description: string;
  /**
   * Sources that share one platform rate limit (the same credentials and endpoint family). When
   * one of them is told to wait, all of them wait, so none of them hammers the platform.
   */
  readonly rateLimitGroup?: string;
  fetch(cursor: SourceCursor | null, options: FetchOptions): Promise<FetchResult>;
}

/** Why a fetch or a reply failed, in the terms the poller acts on. */
export type ConnectorErrorKind =
  /** The platform said to wait (HTTP 429): nothing may be sent before `retryAt`. */
  | 'rate_limited'
  /** Credentials or permissions refused (HTTP 401/403): retrying soon will not help. */
  | 'rejected'
  /** Outage, 5xx, timeout, network error or a malformed answer: back off and try again. */
  | 'unavailable';

export class ConnectorError extends Error {
  override readonly name = 'ConnectorError';

  constructor(
    readonly kind: ConnectorErrorKind,
    message: string,
    /** For `rate_limited`: when the platform allows requests again. */
    readonly retryAt: Date | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The post a reply answers. */
export interface ReplyTarget {
  /** The platform's id of the post being answered. */
  externalId: string;
  /** The author's handle on that platform, without the leading @. */
  authorHandle: string;
}

export interface PostedReply {
  /** The platform's id of the reply that was posted. */
  externalId: string;
  url: string | null;
}

/** Posts public replies on one platform, as the brand's account. */
export interface PublicReplier {
  readonly platform: Platform;
  /** Posts `text` in public as a reply to `target`; throws a ConnectorError when it cannot. */
  reply(target: ReplyTarget, text: string): Promise<PostedReply>;
}

/** What one platform contributes: its feeds, and the way to answer on it (when credentials allow). */
export interface PlatformSources {
  connectors: SourceConnector[];
  replier: PublicReplier | null;
}

export const SOURCE_CONNECTORS = Symbol('SOURCE_CONNECTORS');
export const PUBLIC_REPLIERS = Symbol('PUBLIC_REPLIERS');
