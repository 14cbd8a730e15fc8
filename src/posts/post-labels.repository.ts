import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Platform } from '../domain/brands/brand';
import type { Fault, Polarity, PostScore } from '../domain/scoring/post-score';

export interface NewPostLabel {
  postId: string;
  complaint: boolean | null;
  polarity: Polarity | null;
  category: string | null;
  fault: Fault | null;
  note: string | null;
  labelledBy: string | null;
}

export interface PostLabelView extends NewPostLabel {
  id: string;
  createdAt: Date;
}

/** What labelling needs to know about the post, read under a row lock. */
export interface LabelledPost {
  id: string;
  authorId: string;
  authorFollowers: number;
  brandId: string | null;
  caseId: string | null;
  platform: Platform;
  postedAt: Date;
  score: PostScore;
}

export interface PostLabelListFilter {
  postId: string;
  /** Keyset position: labels strictly older than this one (labels are never deleted, so it always exists). */
  afterId?: string;
  limit: number;
}

interface PostLabelRow {
  id: string;
  post_id: string;
  complaint: boolean | null;
  polarity: Polarity | null;
  category: string | null;
  fault: Fault | null;
  note: string | null;
  labelled_by: string | null;
  created_at: Date;
}

const LABEL_COLUMNS = 'id, post_id, complaint, polarity, category, fault, note, labelled_by, created_at';

/** Labels are append-only (the database refuses UPDATE and DELETE); the newest per post and field wins. */
@Injectable()
export class PostLabelsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Locks the post's row until the caller's transaction ends, so two labels cannot both open its case. */
  async lockPost(manager: EntityManager, postId: string): Promise<LabelledPost | null> {
    const rows: Array<{
      id: string;
      author_id: string;
      followers: number;
      brand_id: string | null;
      case_id: string | null;
      platform: Platform;
      posted_at: Date;
      score: PostScore;
    }> = await manager.query(
      `SELECT p.id, p.author_id, a.followers, p.brand_id, p.case_id, p.platform, p.posted_at, p.score
       FROM posts p JOIN authors a ON a.id = p.author_id
       WHERE p.id = $1
       FOR UPDATE OF p`,
      [postId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id,
      authorId: row.author_id,
      authorFollowers: row.followers,
      brandId: row.brand_id,
      caseId: row.case_id,
      platform: row.platform,
      postedAt: row.posted_at,
      score: row.score,
    };
  }

  async insert(manager: EntityManager, label: NewPostLabel): Promise<PostLabelView> {
    const rows: PostLabelRow[] = await manager.query(
      `INSERT INTO post_labels (post_id, complaint, polarity, category, fault, note, labelled_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       RETURNING ${LABEL_COLUMNS}`,
      [label.postId, label.complaint, label.polarity, label.category, label.fault, label.note, label.labelledBy],
    );
    return toLabelView(rows[0]);
  }

  /** The post's complaint flag follows the newest complaint label (the column and the stored score alike). */
  async setPostComplaint(manager: EntityManager, postId: string, complaint: boolean): Promise<void> {
    await manager.query(`UPDATE posts SET complaint = $2, score = jsonb_set(score, '{complaint}', to_jsonb($2::boolean)) WHERE id = $1`, [postId, complaint]);
  }

  async postExists(postId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM posts WHERE id = $1`, [postId]);
    return rows.length > 0;
  }

  /** Newest first. */
  async list(filter: PostLabelListFilter): Promise<PostLabelView[]> {
    const parameters: unknown[] = [filter.postId];
    let after = '';
    if (filter.afterId) {
      // Compared in SQL: created_at has microseconds, which a JavaScript Date would drop.
      parameters.push(filter.afterId);
      after = 'AND (created_at, id) < (SELECT created_at, id FROM post_labels WHERE id = $2::uuid)';
    }
    parameters.push(filter.limit);
    const rows: PostLabelRow[] = await this.dataSource.query(
      `SELECT ${LABEL_COLUMNS} FROM post_labels WHERE post_id = $1 ${after}
       ORDER BY created_at DESC, id DESC LIMIT $${parameters.length}`,
      parameters,
    );
    return rows.map(toLabelView);
  }
}

function toLabelView(row: PostLabelRow): PostLabelView {
  return {
    id: row.id,
    postId: row.post_id,
    complaint: row.complaint,
    polarity: row.polarity,
    category: row.category,
    fault: row.fault,
    note: row.note,
    labelledBy: row.labelled_by,
    createdAt: row.created_at,
  };
}
