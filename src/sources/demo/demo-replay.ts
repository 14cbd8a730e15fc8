import type { IncomingPost } from '../../domain/posts/incoming-post';
import type { DemoStreamPost } from './demo-stream';

/** Where the replay is: when it started, which pass over the stream, and the next post. */
export interface DemoCursor {
  startedAt: string;
  cycle: number;
  next: number;
}

export interface DemoReplaySettings {
  /** Stream seconds released per wall-clock second. */
  speed: number;
  loop: boolean;
  brandId: string;
}

/** Quiet time between the end of one pass over the stream and the start of the next. */
const PAUSE_BETWEEN_CYCLES_SECONDS = 60;

export function isDemoCursor(value: unknown): value is DemoCursor {
  const cursor = value as DemoCursor | null;
  return (
    typeof cursor === 'object' &&
    cursor !== null &&
    typeof cursor.startedAt === 'string' &&
    !Number.isNaN(Date.parse(cursor.startedAt)) &&
    Number.isInteger(cursor.cycle) &&
    Number.isInteger(cursor.next)
  );
}

/**
 * Releases the posts whose (time-compressed) moment has come since the replay started. Pure: the
 * same cursor and clock give the same posts, which is what makes restarts lose and repeat nothing.
 */
export function releaseDemoPosts(
  stream: readonly DemoStreamPost[],
  cursor: DemoCursor | null,
  settings: DemoReplaySettings,
  now: Date,
  limit: number,
): { posts: IncomingPost[]; cursor: DemoCursor; caughtUp: boolean } {
  const position: DemoCursor = cursor ? { ...cursor } : { startedAt: now.toISOString(), cycle: 0, next: 0 };
  const startedAtMs = Date.parse(position.startedAt);
  const cycleLength = (stream[stream.length - 1]?.at ?? 0) + PAUSE_BETWEEN_CYCLES_SECONDS;
  const streamSecondsElapsed = ((now.getTime() - startedAtMs) / 1000) * settings.speed;
  const posts: IncomingPost[] = [];

  // After a long stop, whole passes that fell in the gap are skipped rather than replayed in a
  // burst: a demo viewer wants the live feed, and those posts were never "published".
  const currentCycle = Math.floor(streamSecondsElapsed / cycleLength);
  if (settings.loop && position.cycle < currentCycle - 1) {
    position.cycle = currentCycle;
    position.next = 0;
  }

  while (posts.length < limit) {
    if (position.next >= stream.length) {
      if (!settings.loop) break;
      position.cycle += 1;
      position.next = 0;
    }
    const item = stream[position.next];
    const streamSecond = position.cycle * cycleLength + item.at;
    if (streamSecond > streamSecondsElapsed) break;
    posts.push(toIncomingPost(item, position.cycle, new Date(startedAtMs + (streamSecond / settings.speed) * 1000), settings.brandId));
    position.next += 1;
  }

  const nextItem = stream[position.next];
  const moreDue = posts.length >= limit && (nextItem !== undefined ? position.cycle * cycleLength + nextItem.at <= streamSecondsElapsed : settings.loop);
  return { posts, cursor: position, caughtUp: !moreDue };
}

function toIncomingPost(item: DemoStreamPost, cycle: number, postedAt: Date, brandId: string): IncomingPost {
  // Each pass gets new post ids; authors stay the same people, so their repeat contacts still count.
  const externalId = cycle === 0 ? item.id : `${item.id}.${cycle}`;
  return {
    platform: 'demo',
    externalId,
    author: { externalId: item.author.handle, handle: item.author.handle, displayName: item.author.name, followers: item.author.followers },
    text: item.text,
    lang: item.lang,
    postedAt,
    url: null,
    inReplyToExternalId: null,
    metrics: { likes: item.likes, reposts: item.reposts, replies: item.replies },
    brandId,
  };
}
