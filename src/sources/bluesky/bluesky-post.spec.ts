import { MalformedBlueskyResponse, parseSearchPage, replyRefsOf, sortTimeOf, toIncomingPost } from './bluesky-post';

const did = 'did:plc:abcdefghijklmnopqrstuvwx';
const uri = `at://${did}/app.bsky.feed.post/3kabcdefghij2`;
const context = { brandId: 'halcyon-air', followers: new Map([[did, 42]]) };

function view(overrides: Record<string, unknown> = {}, record: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    uri,
    cid: 'bafyreiexample',
    author: { did, handle: 'dana.bsky.social', displayName: 'Dana' },
    record: { $type: 'app.bsky.feed.post', text: 'hello', createdAt: '2025-03-01T10:00:00.000Z', ...record },
    indexedAt: '2025-03-01T10:00:02.000Z',
    ...overrides,
  };
}

describe('Bluesky post translation', () => {
  it('reads the post, its author (with the follower count given) and its url', () => {
    const post = toIncomingPost(view({ likeCount: 5, repostCount: 1, quoteCount: 2 }), context);
    expect(post).toMatchObject({
      externalId: uri,
      author: { externalId: did, handle: 'dana.bsky.social', displayName: 'Dana', followers: 42 },
      postedAt: new Date('2025-03-01T10:00:00.000Z'),
      url: 'https://bsky.app/profile/dana.bsky.social/post/3kabcdefghij2',
      lang: null,
      inReplyToExternalId: null,
      metrics: { likes: 5, reposts: 3, replies: 0 },
    });
  });

  it('dates a post by indexedAt when createdAt is missing or invalid', () => {
    expect(toIncomingPost(view({}, { createdAt: 'yesterday' }), context)?.postedAt).toEqual(new Date('2025-03-01T10:00:02.000Z'));
    expect(toIncomingPost(view({}, { createdAt: undefined }), context)?.postedAt).toEqual(new Date('2025-03-01T10:00:02.000Z'));
  });

  it('links an account whose handle does not resolve by its did', () => {
    expect(toIncomingPost(view({ author: { did, handle: 'handle.invalid' } }), context)?.url).toBe(
      `https://bsky.app/profile/${encodeURIComponent(did)}/post/3kabcdefghij2`,
    );
  });

  it('treats a blank display name as none and ignores counts that are not counts', () => {
    const post = toIncomingPost(view({ author: { did, handle: 'dana.bsky.social', displayName: '  ' }, likeCount: -3, replyCount: 'many' }), context);
    expect(post?.author.displayName).toBeNull();
    expect(post?.metrics).toEqual({ likes: 0, reposts: 0, replies: 0 });
  });

  it('skips views that are not readable posts', () => {
    expect(toIncomingPost(view({ uri: 'at://did:plc:x/app.bsky.feed.like/3kabc' }), context)).toBeNull();
    expect(toIncomingPost(view({ author: { handle: 'no-did.bsky.social' } }), context)).toBeNull();
    expect(toIncomingPost(view({ indexedAt: 'soon' }, { createdAt: 'never' }), context)).toBeNull();
    expect(toIncomingPost(view({}, { text: ['not', 'text'] }), context)).toBeNull();
    expect(toIncomingPost({ ...view(), $type: 'app.bsky.feed.defs#notFoundPost' }, context)).toBeNull();
  });

  it('sorts by the earlier of createdAt and indexedAt, as search does', () => {
    expect(sortTimeOf(view())).toEqual(new Date('2025-03-01T10:00:00.000Z'));
    expect(sortTimeOf(view({}, { createdAt: '2030-01-01T00:00:00Z' }))).toEqual(new Date('2025-03-01T10:00:02.000Z'));
    expect(sortTimeOf('nothing')).toBeNull();
  });

  it('refuses a page whose shape is wrong', () => {
    expect(() => parseSearchPage(null)).toThrow(MalformedBlueskyResponse);
    expect(() => parseSearchPage({ posts: {} })).toThrow('"posts" is not an array');
    expect(() => parseSearchPage({ posts: [], cursor: 7 })).toThrow('"cursor" is not a string');
    expect(parseSearchPage({ posts: [1], cursor: '' })).toEqual({ items: [1], cursor: null });
  });

  it('threads a reply under the root of the post it answers', () => {
    const root = { uri: 'at://did:plc:root/app.bsky.feed.post/3kroot', cid: 'bafyreiroot' };
    expect(replyRefsOf(view())).toEqual({ parent: { uri, cid: 'bafyreiexample' }, root: { uri, cid: 'bafyreiexample' } });
    expect(replyRefsOf(view({}, { reply: { root, parent: root } }))).toEqual({ parent: { uri, cid: 'bafyreiexample' }, root });
    expect(replyRefsOf(view({}, { reply: { parent: root } }))).toBeNull();
  });
});
