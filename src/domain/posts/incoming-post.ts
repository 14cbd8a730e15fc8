import type { Platform } from '../brands/brand';

export interface PostMetrics {
  likes: number;
  reposts: number;
  replies: number;
}

/** The common shape every source connector translates its platform's posts into. */
export interface IncomingPost {
  platform: Platform;
  /** The platform's own id: with the platform, what makes a post unique. */
  externalId: string;
  author: {
    externalId: string;
    handle: string;
    displayName: string | null;
    followers: number;
  };
  text: string;
  lang: string | null;
  postedAt: Date;
  url: string | null;
  inReplyToExternalId: string | null;
  metrics: PostMetrics;
  /** Set when the source already knows which brand the post is about (a brand's mentions). */
  brandId: string | null;
}
