import { releaseDemoPosts, type DemoCursor } from './demo-replay';
import { parseDemoStream, type DemoStreamPost } from './demo-stream';

function post(id: string, at: number, handle = 'ana'): DemoStreamPost {
  return {
    id,
    at,
    author: { handle, name: handle, followers: 10 },
    text: `@HalcyonAir post ${id}`,
    lang: 'en',
    likes: 0,
    reposts: 0,
    replies: 0,
    growth: null,
  };
}

const stream = [post('a', 0), post('b', 10), post('c', 20), post('d', 40)];
const start = new Date('2026-11-24T10:00:00Z');
const at = (seconds: number): Date => new Date(start.getTime() + seconds * 1000);
const settings = { speed: 10, loop: false, brandId: 'halcyon-air' };

describe('releaseDemoPosts', () => {
  it('releases posts as compressed time passes and stamps them with their moment', () => {
    const first = releaseDemoPosts(stream, null, settings, start, 100);
    expect(first.posts.map((item) => item.externalId)).toEqual(['a']);
    expect(first.cursor).toEqual({ startedAt: start.toISOString(), cycle: 0, next: 1 });

    // 2.5 wall seconds at 10x = 25 stream seconds: b (10) and c (20) are due, d (40) is not.
    const second = releaseDemoPosts(stream, first.cursor, settings, at(2.5), 100);
    expect(second.posts.map((item) => item.externalId)).toEqual(['b', 'c']);
    expect(second.posts[1]?.postedAt).toEqual(at(2));
    expect(second.posts[0]).toMatchObject({ platform: 'demo', brandId: 'halcyon-air', author: { externalId: 'ana', handle: 'ana' } });
    expect(second.caughtUp).toBe(true);
  });

  it('gives the same posts for the same cursor and clock, so a retried poll repeats exactly', () => {
    const cursor: DemoCursor = { startedAt: start.toISOString(), cycle: 0, next: 1 };
    expect(releaseDemoPosts(stream, cursor, settings, at(5), 100)).toEqual(releaseDemoPosts(stream, cursor, settings, at(5), 100));
  });

  it('pages a backlog and says it is not caught up', () => {
    const fresh: DemoCursor = { startedAt: start.toISOString(), cycle: 0, next: 0 };
    const page = releaseDemoPosts(stream, fresh, settings, at(100), 2);
    expect(page.posts.map((item) => item.externalId)).toEqual(['a', 'b']);
    expect(page.caughtUp).toBe(false);
    const rest = releaseDemoPosts(stream, page.cursor, settings, at(100), 2);
    expect(rest.posts.map((item) => item.externalId)).toEqual(['c', 'd']);
    expect(rest.caughtUp).toBe(true);
    expect(releaseDemoPosts(stream, rest.cursor, settings, at(200), 2).posts).toEqual([]);
  });

  it('loops with new post ids and the same authors', () => {
    const looping = { ...settings, loop: true };
    // A cycle lasts 40 + 60 = 100 stream seconds; 10.5 wall seconds is 105 stream seconds.
    const first = releaseDemoPosts(stream, null, looping, start, 100);
    const next = releaseDemoPosts(stream, first.cursor, looping, at(10.5), 100);
    expect(next.posts.map((item) => item.externalId)).toEqual(['b', 'c', 'd', 'a.1']);
    expect(next.posts[3]?.author.externalId).toBe('ana');
    expect(next.posts[3]?.postedAt).toEqual(at(10));
    expect(next.cursor).toMatchObject({ cycle: 1, next: 1 });
  });

  it('skips whole passes that fell in a long stop instead of replaying them in a burst', () => {
    const looping = { ...settings, loop: true };
    const cursor: DemoCursor = { startedAt: start.toISOString(), cycle: 0, next: 4 };
    const later = releaseDemoPosts(stream, cursor, looping, at(1000.5), 100);
    expect(later.cursor.cycle).toBe(100);
    expect(later.posts.map((item) => item.externalId)).toEqual(['a.100']);
  });
});

describe('parseDemoStream', () => {
  it('rejects a bad line with its line number', () => {
    expect(() => parseDemoStream('{"id":"x"', 'stream.jsonl')).toThrow(/stream.jsonl line 1 is not valid JSON/);
    const good = JSON.stringify(post('a', 5));
    expect(() => parseDemoStream(`${good}\n${JSON.stringify(post('b', 1))}`, 's')).toThrow(/s line 2: "at" must not go backwards/);
    expect(() => parseDemoStream(`${good}\n${good}`, 's')).toThrow(/s line 2: id a appears twice/);
    expect(() => parseDemoStream(JSON.stringify({ ...post('a', 1), text: '' }), 's')).toThrow(/s line 1: text must be a non-empty string/);
  });
});
