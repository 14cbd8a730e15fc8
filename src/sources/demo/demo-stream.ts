import { isPlainObject } from '../../common/json.util';

export interface DemoEngagement {
  likes: number;
  reposts: number;
  replies: number;
}

/** One post of the bundled demo stream; `at` is seconds from the stream's start. */
export interface DemoStreamPost extends DemoEngagement {
  id: string;
  at: number;
  author: { handle: string; name: string; followers: number };
  text: string;
  lang: string;
  /** Later engagement snapshots of posts that go viral, `after` seconds from posting. */
  growth: Array<DemoEngagement & { after: number }> | null;
}

/** Parses the JSON-lines stream, rejecting it whole with the line number of the first bad line. */
export function parseDemoStream(text: string, label: string): DemoStreamPost[] {
  const posts: DemoStreamPost[] = [];
  const ids = new Set<string>();
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `${label} line ${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new Error(`${where} is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
    const post = toDemoPost(value, where);
    if (ids.has(post.id)) throw new Error(`${where}: id ${post.id} appears twice`);
    const previous = posts[posts.length - 1];
    if (previous && post.at < previous.at) throw new Error(`${where}: "at" must not go backwards (${post.at} after ${previous.at})`);
    ids.add(post.id);
    posts.push(post);
  });
  if (posts.length === 0) throw new Error(`${label} holds no posts`);
  return posts;
}

function toDemoPost(value: unknown, where: string): DemoStreamPost {
  if (!isPlainObject(value)) throw new Error(`${where} must be a JSON object`);
  const author = value.author;
  if (!isPlainObject(author)) throw new Error(`${where}: author must be an object`);
  const count = (key: string, source: Record<string, unknown> = value): number => {
    const number = source[key] ?? 0;
    if (typeof number !== 'number' || !Number.isFinite(number) || number < 0) throw new Error(`${where}: ${key} must be a number >= 0`);
    return number;
  };
  const text = (key: string, source: Record<string, unknown> = value): string => {
    const string = source[key];
    if (typeof string !== 'string' || string === '') throw new Error(`${where}: ${key} must be a non-empty string`);
    return string;
  };
  const growth = value.growth;
  if (growth !== null && growth !== undefined && !Array.isArray(growth)) throw new Error(`${where}: growth must be a list or null`);
  return {
    id: text('id'),
    at: count('at'),
    author: { handle: text('handle', author), name: text('name', author), followers: Math.round(count('followers', author)) },
    text: text('text'),
    lang: text('lang'),
    likes: count('likes'),
    reposts: count('reposts'),
    replies: count('replies'),
    growth: Array.isArray(growth)
      ? growth.map((snapshot: unknown) => {
          if (!isPlainObject(snapshot)) throw new Error(`${where}: growth entries must be objects`);
          return { after: count('after', snapshot), likes: count('likes', snapshot), reposts: count('reposts', snapshot), replies: count('replies', snapshot) };
        })
      : null,
  };
}
