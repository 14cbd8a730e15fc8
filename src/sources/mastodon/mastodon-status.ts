import { isPlainObject } from '../../common/json.util';
import type { IncomingPost } from '../../domain/posts/incoming-post';
import { decodeHtmlEntities } from '../html-entities';

/*
 * Pure translation of Mastodon entities into IncomingPosts. masto hands entities over with
 * camel-cased keys (created_at becomes createdAt), so the readers below check those names. The
 * readers trust nothing: a server (or a proxy in front of it) can send anything, and a page that
 * does not have the documented shape must fail as a whole instead of storing half-read posts.
 */

/** The parts of a Mastodon Account the connector uses. */
export interface MastodonAccount {
  id: string;
  username: string;
  /** `username` for accounts of the same server, `username@domain` for remote ones. */
  acct: string;
  displayName: string | null;
  url: string | null;
  followersCount: number;
}

/** The parts of a Mastodon Status the connector uses. */
export interface MastodonStatus {
  /** Only meaningful on the server that answered: the same post has another id elsewhere. */
  id: string;
  /** The ActivityPub id: the same on every server. */
  uri: string;
  url: string | null;
  createdAt: Date;
  editedAt: Date | null;
  /** HTML. */
  content: string;
  /** Content warning, plain text ('' when none). */
  spoilerText: string;
  language: string | null;
  account: MastodonAccount;
  favouritesCount: number;
  reblogsCount: number;
  repliesCount: number;
  inReplyToId: string | null;
  /** True when this status only boosts another one (its `reblog` is set). */
  isBoost: boolean;
}

export interface MastodonNotification {
  id: string;
  type: string;
  /** Null when the status was deleted (or is not visible any more). */
  status: MastodonStatus | null;
}

/** The answer did not have the shape the Mastodon API documents. */
export class MalformedMastodonEntityError extends Error {
  override readonly name = 'MalformedMastodonEntityError';
}

type JsonObject = Record<string, unknown>;

function requireObject(value: unknown, path: string): JsonObject {
  if (!isPlainObject(value)) throw new MalformedMastodonEntityError(`${path} is not an object`);
  return value;
}

function requireArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new MalformedMastodonEntityError(`${path} is not an array`);
  return value;
}

function requireString(object: JsonObject, key: string, path: string): string {
  const value = object[key];
  if (typeof value !== 'string' || value.length === 0) throw new MalformedMastodonEntityError(`${path}.${key} is missing or not a non-empty string`);
  return value;
}

function requireText(object: JsonObject, key: string, path: string): string {
  const value = object[key];
  if (typeof value !== 'string') throw new MalformedMastodonEntityError(`${path}.${key} is missing or not a string`);
  return value;
}

function optionalString(object: JsonObject, key: string, path: string): string | null {
  const value = object[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new MalformedMastodonEntityError(`${path}.${key} is not a string`);
  return value;
}

function optionalCount(object: JsonObject, key: string, path: string): number {
  const value = object[key];
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new MalformedMastodonEntityError(`${path}.${key} is not a number`);
  // Some servers send -1 for counts their users hide.
  return Math.max(0, Math.trunc(value));
}

function requireDate(object: JsonObject, key: string, path: string): Date {
  const date = new Date(requireString(object, key, path));
  if (Number.isNaN(date.getTime())) throw new MalformedMastodonEntityError(`${path}.${key} is not a date`);
  return date;
}

function optionalDate(object: JsonObject, key: string, path: string): Date | null {
  const text = optionalString(object, key, path);
  if (text === null) return null;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new MalformedMastodonEntityError(`${path}.${key} is not a date`);
  return date;
}

export function readAccount(value: unknown, path: string): MastodonAccount {
  const object = requireObject(value, path);
  const displayName = optionalString(object, 'displayName', path);
  return {
    id: requireString(object, 'id', path),
    username: requireString(object, 'username', path),
    acct: requireString(object, 'acct', path),
    displayName: displayName === null || displayName.trim() === '' ? null : displayName,
    url: optionalString(object, 'url', path),
    followersCount: optionalCount(object, 'followersCount', path),
  };
}

export function readStatus(value: unknown, path: string): MastodonStatus {
  const object = requireObject(value, path);
  const reblog = object.reblog;
  if (reblog !== undefined && reblog !== null && !isPlainObject(reblog)) throw new MalformedMastodonEntityError(`${path}.reblog is not an object`);
  return {
    id: requireString(object, 'id', path),
    uri: requireString(object, 'uri', path),
    url: optionalString(object, 'url', path),
    createdAt: requireDate(object, 'createdAt', path),
    editedAt: optionalDate(object, 'editedAt', path),
    content: requireText(object, 'content', path),
    spoilerText: optionalString(object, 'spoilerText', path) ?? '',
    language: optionalString(object, 'language', path),
    account: readAccount(object.account, `${path}.account`),
    favouritesCount: optionalCount(object, 'favouritesCount', path),
    reblogsCount: optionalCount(object, 'reblogsCount', path),
    repliesCount: optionalCount(object, 'repliesCount', path),
    inReplyToId: optionalString(object, 'inReplyToId', path),
    isBoost: isPlainObject(reblog),
  };
}

export function readStatusList(value: unknown, path: string): MastodonStatus[] {
  return requireArray(value, path).map((item, index) => readStatus(item, `${path}[${index}]`));
}

export function readNotificationList(value: unknown, path: string): MastodonNotification[] {
  return requireArray(value, path).map((item, index) => {
    const itemPath = `${path}[${index}]`;
    const object = requireObject(item, itemPath);
    const status = object.status;
    return {
      id: requireString(object, 'id', itemPath),
      type: requireString(object, 'type', itemPath),
      status: status === undefined || status === null ? null : readStatus(status, `${itemPath}.status`),
    };
  });
}

/** The statuses of a `GET /api/v2/search` answer. */
export function readSearchStatuses(value: unknown, path: string): MastodonStatus[] {
  const object = requireObject(value, path);
  return readStatusList(object.statuses, `${path}.statuses`);
}

/**
 * Orders Mastodon ids. They are strings: numeric ones (Mastodon's snowflakes) must be compared by
 * length first ("99" < "100"); fixed-length ones (Pleroma flake ids, GoToSocial ULIDs) sort
 * lexically, which the same rule does.
 */
export function compareMastodonIds(left: string, right: string): number {
  if (left.length !== right.length) return left.length - right.length;
  if (left === right) return 0;
  return left < right ? -1 : 1;
}

export function newestMastodonId(ids: readonly string[]): string | null {
  let newest: string | null = null;
  for (const id of ids) if (newest === null || compareMastodonIds(id, newest) > 0) newest = id;
  return newest;
}

export function oldestMastodonId(ids: readonly string[]): string | null {
  let oldest: string | null = null;
  for (const id of ids) if (oldest === null || compareMastodonIds(id, oldest) < 0) oldest = id;
  return oldest;
}

/**
 * Mastodon's status HTML as the plain text a reader sees: paragraphs become blank lines, `<br>`
 * line breaks, links their text (hidden URL parts included, so links read in full), entities
 * their characters. Everything else passes through untouched (emoji, right-to-left text).
 */
export function htmlToPlainText(html: string): string {
  const text = html
    // Mastodon's web UI hides the "RE: <link>" paragraph it adds for clients without quote support.
    .replace(/<p\s+class="quote-inline"[^>]*>[\s\S]*?<\/p>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>[ \t\r\n]*/gi, '\n\n')
    .replace(/<\/(?:h[1-6]|blockquote|li|pre|div|ul|ol)>[ \t\r\n]*/gi, '\n')
    .replace(/<[^>]*>/g, '');
  return decodeHtmlEntities(text).trim();
}

/** The text of a status, its content warning first, the way Mastodon shows it. */
export function statusPlainText(status: Pick<MastodonStatus, 'content' | 'spoilerText'>): string {
  const body = htmlToPlainText(status.content);
  const warning = status.spoilerText.trim();
  if (warning === '') return body;
  return body === '' ? warning : `${warning}\n\n${body}`;
}

/**
 * A status as an IncomingPost.
 *
 * externalId is the status `uri` (its ActivityPub id), not its `id`: ids are local to the server
 * that answers, so they would change (and could collide) if the service were pointed at another
 * server, while the uri is the same everywhere. The replier turns the uri back into a local id.
 * inReplyToExternalId stays the server-local `in_reply_to_id`: Mastodon does not give the parent's
 * uri, and one more request per reply just for it is not worth it.
 */
export function statusToIncomingPost(status: MastodonStatus, brandId: string | null): IncomingPost {
  return {
    platform: 'mastodon',
    externalId: status.uri,
    author: {
      // The profile URL names the account on every server; acct is relative to the answering one.
      externalId: status.account.url ?? status.account.acct,
      handle: status.account.acct,
      displayName: status.account.displayName,
      followers: status.account.followersCount,
    },
    text: statusPlainText(status),
    lang: status.language,
    postedAt: status.createdAt,
    url: status.url,
    inReplyToExternalId: status.inReplyToId,
    metrics: { likes: status.favouritesCount, reposts: status.reblogsCount, replies: status.repliesCount },
    brandId,
  };
}
