import { isPlainObject } from '../../common/json.util';
import type { IncomingPost } from '../../domain/posts/incoming-post';

/** One page of `app.bsky.feed.searchPosts`, its items still unchecked. */
export interface BlueskySearchPage {
  items: unknown[];
  cursor: string | null;
}

/** A post's reference as the reply refs of `app.bsky.feed.post` want it. */
export interface BlueskyStrongRef {
  uri: string;
  cid: string;
}

const POST_COLLECTION = 'app.bsky.feed.post';
/** Views the app view puts where a post used to be; they carry no post to read. */
const NOT_A_POST_VIEW_TYPES = new Set(['app.bsky.feed.defs#blockedPost', 'app.bsky.feed.defs#notFoundPost']);
/** Strict enough to refuse "yesterday" or a bare number, which Date.parse would half-accept. */
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

export function parseDateTime(value: unknown): Date | null {
  if (typeof value !== 'string' || !ISO_DATETIME.test(value)) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time);
}

/**
 * Checks the page itself. A page of the wrong shape says the API changed or the answer was cut:
 * that is an outage to retry, never a reason to move the cursor.
 */
export function parseSearchPage(body: unknown): BlueskySearchPage {
  if (!isPlainObject(body)) throw new MalformedBlueskyResponse('the body is not an object');
  const { posts, cursor } = body;
  if (!Array.isArray(posts)) throw new MalformedBlueskyResponse('"posts" is not an array');
  if (cursor !== undefined && cursor !== null && typeof cursor !== 'string') throw new MalformedBlueskyResponse('"cursor" is not a string');
  return { items: posts as unknown[], cursor: typeof cursor === 'string' && cursor.length > 0 ? cursor : null };
}

export class MalformedBlueskyResponse extends Error {
  override readonly name = 'MalformedBlueskyResponse';
}

/**
 * The moment search sorts and filters a post by (`since` / `until`): the app view's sortAt, the
 * earlier of createdAt and indexedAt, so a post dated in the future cannot hold the top spot.
 * Taking the earlier one also keeps our lower bound at or below the server's: never a gap.
 */
export function sortTimeOf(item: unknown): Date | null {
  if (!isPlainObject(item)) return null;
  const indexedAt = parseDateTime(item.indexedAt);
  const createdAt = isPlainObject(item.record) ? parseDateTime(item.record.createdAt) : null;
  if (indexedAt && createdAt) return createdAt < indexedAt ? createdAt : indexedAt;
  return indexedAt ?? createdAt;
}

/** The record key: the last segment of at://did/app.bsky.feed.post/rkey. */
export function recordKeyOf(uri: string): string | null {
  const match = /^at:\/\/([^/]+)\/([^/]+)\/([^/?#]+)$/.exec(uri);
  return match && match[2] === POST_COLLECTION ? match[3] : null;
}

export interface TranslationContext {
  brandId: string | null;
  /** Follower counts by author did; authors missing here count as 0. */
  followers: ReadonlyMap<string, number>;
}

/**
 * Translates one search item into an IncomingPost, or null when it is not a readable post
 * (a blocked or deleted placeholder, a record of another kind, text that is not a string).
 * Bluesky text is plain text already: it is kept exactly as written, markup-looking parts too.
 */
export function toIncomingPost(item: unknown, context: TranslationContext): IncomingPost | null {
  if (!isPlainObject(item)) return null;
  if (typeof item.$type === 'string' && NOT_A_POST_VIEW_TYPES.has(item.$type)) return null;
  const { uri, author, record } = item;
  if (typeof uri !== 'string' || !isPlainObject(author) || !isPlainObject(record)) return null;
  const recordKey = recordKeyOf(uri);
  if (recordKey === null) return null;
  if (record.$type !== undefined && record.$type !== POST_COLLECTION) return null;
  if (typeof record.text !== 'string') return null;
  const { did, handle } = author;
  if (typeof did !== 'string' || !did.startsWith('did:') || typeof handle !== 'string' || handle.length === 0) return null;
  const postedAt = parseDateTime(record.createdAt) ?? parseDateTime(item.indexedAt);
  if (postedAt === null) return null;

  return {
    platform: 'bluesky',
    externalId: uri,
    author: {
      externalId: did,
      handle,
      displayName: typeof author.displayName === 'string' && author.displayName.trim().length > 0 ? author.displayName : null,
      followers: context.followers.get(did) ?? 0,
    },
    text: record.text,
    lang: firstLanguage(record.langs),
    postedAt,
    url: postUrl(handle, did, recordKey),
    inReplyToExternalId: parentUriOf(record),
    metrics: {
      likes: count(item.likeCount),
      reposts: count(item.repostCount) + count(item.quoteCount),
      replies: count(item.replyCount),
    },
    brandId: context.brandId,
  };
}

/** bsky.app links by handle; an account whose handle no longer resolves is linked by did instead. */
export function postUrl(handle: string, did: string, recordKey: string): string {
  const profile = handle === 'handle.invalid' ? did : handle;
  return `https://bsky.app/profile/${encodeURIComponent(profile)}/post/${encodeURIComponent(recordKey)}`;
}

/** The parent and root a reply to this post must name, or null when the view lacks what it takes. */
export function replyRefsOf(item: unknown): { parent: BlueskyStrongRef; root: BlueskyStrongRef } | null {
  if (!isPlainObject(item) || typeof item.uri !== 'string' || typeof item.cid !== 'string' || !isPlainObject(item.record)) return null;
  const parent = { uri: item.uri, cid: item.cid };
  const reply = item.record.reply;
  // A post that is not itself a reply starts the thread, so it is its own root.
  if (!isPlainObject(reply)) return { parent, root: parent };
  const root = reply.root;
  if (!isPlainObject(root) || typeof root.uri !== 'string' || typeof root.cid !== 'string') return null;
  return { parent, root: { uri: root.uri, cid: root.cid } };
}

function parentUriOf(record: Record<string, unknown>): string | null {
  const reply = record.reply;
  if (!isPlainObject(reply) || !isPlainObject(reply.parent)) return null;
  return typeof reply.parent.uri === 'string' ? reply.parent.uri : null;
}

function firstLanguage(langs: unknown): string | null {
  if (!Array.isArray(langs)) return null;
  const first: unknown = langs[0];
  return typeof first === 'string' && first.length > 0 ? first : null;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}
