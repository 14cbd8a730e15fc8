import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Platform } from '../domain/brands/brand';
import type { IncomingPost, PostMetrics } from '../domain/posts/incoming-post';
import type { PostScore } from '../domain/scoring/post-score';

export interface NewPost {
  post: IncomingPost;
  sourceId: string;
  authorId: string;
  brandId: string | null;
  score: PostScore;
}

export interface PostView {
  id: string;
  platform: Platform;
  externalId: string;
  sourceId: string | null;
  brandId: string | null;
  caseId: string | null;
  author: { id: string; handle: string; displayName: string | null; followers: number };
  text: string;
  lang: string | null;
  url: string | null;
  postedAt: Date;
  receivedAt: Date;
  metrics: PostMetrics;
  score: PostScore;
}

export interface PostListFilter {
  complaint?: boolean;
  caseId?: string;
  brandId?: string;
  /** Keyset position: posts strictly older than this one. */
  after?: { postedAt: Date; id: string };
  limit: number;
}

interface PostRow {
  id: string;
  platform: Platform;
  external_id: string;
  source_id: string | null;
  brand_id: string | null;
  case_id: string | null;
  author_id: string;
  author_handle: string;
  author_display_name: string | null;
  author_followers: number;
  text: string;
  lang: string | null;
  url: string | null;
  posted_at: Date;
  received_at: Date;
  metrics: PostMetrics;
  score: PostScore;
}

const POST_COLUMNS = `p.id, p.platform, p.external_id, p.source_id, p.brand_id, p.case_id, p.author_id,
  a.handle AS author_handle, a.display_name AS author_display_name, a.followers AS author_followers,
  p.text, p.lang, p.url, p.posted_at, p.received_at, p.metrics, p.score`;

@Injectable()
export class PostsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Inserts or refreshes the authors of a batch in one statement; returns their ids by
   * "platform:externalId".
   */
  async upsertAuthors(manager: EntityManager, posts: readonly IncomingPost[]): Promise<Map<string, string>> {
    const authors = new Map<string, IncomingPost>();
    for (const post of posts) authors.set(authorKey(post.platform, post.author.externalId), post);
    if (authors.size === 0) return new Map();
    const list = [...authors.values()];
    const rows: Array<{ id: string; platform: string; external_id: string }> = await manager.query(
      `INSERT INTO authors (platform, external_id, handle, display_name, followers)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[])
       ON CONFLICT (platform, external_id) DO UPDATE
         SET handle = EXCLUDED.handle, display_name = EXCLUDED.display_name, followers = EXCLUDED.followers, updated_at = now()
       RETURNING id, platform, external_id`,
      [
        list.map((post) => post.platform),
        list.map((post) => post.author.externalId),
        list.map((post) => post.author.handle),
        list.map((post) => post.author.displayName),
        list.map((post) => Math.max(0, Math.min(2_147_483_647, Math.round(post.author.followers)))),
      ],
    );
    return new Map(rows.map((row) => [authorKey(row.platform, row.external_id), row.id]));
  }

  /** Inserts the posts not stored before; returns the new posts' ids by external id. Duplicates are skipped. */
  async insertNew(manager: EntityManager, posts: readonly NewPost[]): Promise<Map<string, string>> {
    if (posts.length === 0) return new Map();
    const rows: Array<{ id: string; external_id: string }> = await manager.query(
      `INSERT INTO posts (platform, external_id, source_id, author_id, brand_id, text, lang, url, in_reply_to_external_id,
                          posted_at, metrics, score, polarity, complaint, complaint_probability, urgency)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                            $10::timestamptz[], $11::jsonb[], $12::jsonb[], $13::text[], $14::boolean[], $15::real[], $16::smallint[])
       ON CONFLICT (platform, external_id) DO NOTHING
       RETURNING id, external_id`,
      [
        posts.map(({ post }) => post.platform),
        posts.map(({ post }) => post.externalId),
        posts.map(({ sourceId }) => sourceId),
        posts.map(({ authorId }) => authorId),
        posts.map(({ brandId }) => brandId),
        posts.map(({ post }) => post.text),
        posts.map(({ post }) => post.lang),
        posts.map(({ post }) => post.url),
        posts.map(({ post }) => post.inReplyToExternalId),
        posts.map(({ post }) => post.postedAt.toISOString()),
        posts.map(({ post }) => JSON.stringify(post.metrics)),
        posts.map(({ score }) => JSON.stringify(score)),
        posts.map(({ score }) => score.polarity),
        posts.map(({ score }) => score.complaint),
        posts.map(({ score }) => score.complaintProbability),
        posts.map(({ score }) => score.urgency),
      ],
    );
    return new Map(rows.map((row) => [row.external_id, row.id]));
  }

  async list(filter: PostListFilter): Promise<PostView[]> {
    const conditions: string[] = [];
    const parameters: unknown[] = [];
    const add = (sql: string, value: unknown): void => {
      parameters.push(value);
      conditions.push(sql.replace('?', `$${parameters.length}`));
    };
    if (filter.complaint !== undefined) add('p.complaint = ?', filter.complaint);
    if (filter.caseId !== undefined) add('p.case_id = ?', filter.caseId);
    if (filter.brandId !== undefined) add('p.brand_id = ?', filter.brandId);
    if (filter.after) {
      parameters.push(filter.after.postedAt.toISOString(), filter.after.id);
      conditions.push(`(p.posted_at, p.id) < ($${parameters.length - 1}::timestamptz, $${parameters.length}::uuid)`);
    }
    parameters.push(filter.limit);
    const rows: PostRow[] = await this.dataSource.query(
      `SELECT ${POST_COLUMNS} FROM posts p JOIN authors a ON a.id = p.author_id
       ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
       ORDER BY p.posted_at DESC, p.id DESC LIMIT $${parameters.length}`,
      parameters,
    );
    return rows.map(toPostView);
  }

  async listForCase(caseId: string): Promise<PostView[]> {
    const rows: PostRow[] = await this.dataSource.query(
      `SELECT ${POST_COLUMNS} FROM posts p JOIN authors a ON a.id = p.author_id WHERE p.case_id = $1 ORDER BY p.posted_at, p.id`,
      [caseId],
    );
    return rows.map(toPostView);
  }
}

function authorKey(platform: string, externalId: string): string {
  return `${platform}:${externalId}`;
}

export function authorKeyOf(post: IncomingPost): string {
  return authorKey(post.platform, post.author.externalId);
}

function toPostView(row: PostRow): PostView {
  return {
    id: row.id,
    platform: row.platform,
    externalId: row.external_id,
    sourceId: row.source_id,
    brandId: row.brand_id,
    caseId: row.case_id,
    author: { id: row.author_id, handle: row.author_handle, displayName: row.author_display_name, followers: row.author_followers },
    text: row.text,
    lang: row.lang,
    url: row.url,
    postedAt: row.posted_at,
    receivedAt: row.received_at,
    metrics: row.metrics,
    score: row.score,
  };
}
