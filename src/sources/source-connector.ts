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
 */
export interface SourceConnector {
  /** Stable id stored on the source row and on each post, e.g. "demo" or "x:halcyon-air". */
  readonly id: string;
  readonly platform: Platform;
  readonly description: string;
  fetch(cursor: SourceCursor | null, options: FetchOptions): Promise<FetchResult>;
}

export const SOURCE_CONNECTORS = Symbol('SOURCE_CONNECTORS');
