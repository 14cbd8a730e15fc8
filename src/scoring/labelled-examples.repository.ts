import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { LabelledExample } from '../domain/scoring/labelled-data';
import { hasAnyLabel, isFault, isPolarity } from '../domain/scoring/labelled-data';

/** What the labels were when read: any new label changes it (labels are never updated or deleted). */
export interface LabelsState {
  count: number;
  newestAt: string | null;
}

interface ExampleRow {
  post_id: string;
  text: string;
  lang: string | null;
  complaint: boolean | null;
  polarity: string | null;
  category: string | null;
  fault: string | null;
}

/** Reads the agents' labels as training examples: the newest label per post and field, with the post's text. */
@Injectable()
export class LabelledExamplesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async state(): Promise<LabelsState> {
    const [row]: Array<{ count: number; newest_at: string | null }> = await this.dataSource.query(
      `SELECT count(*)::int AS count, max(created_at)::text AS newest_at FROM post_labels`,
    );
    return { count: row?.count ?? 0, newestAt: row?.newest_at ?? null };
  }

  /**
   * One example per labelled post. A category no longer among `categories` (the config changed)
   * is left out; a post left with no label is not an example.
   */
  async examples(categories: ReadonlySet<string>): Promise<LabelledExample[]> {
    const newest = (column: string): string =>
      `(array_agg(l.${column} ORDER BY l.created_at DESC, l.id DESC) FILTER (WHERE l.${column} IS NOT NULL))[1] AS ${column}`;
    const rows: ExampleRow[] = await this.dataSource.query(
      `SELECT p.id AS post_id, p.text, p.lang, ${['complaint', 'polarity', 'category', 'fault'].map(newest).join(', ')}
       FROM post_labels l JOIN posts p ON p.id = l.post_id
       GROUP BY p.id
       ORDER BY p.id`,
    );
    const examples: LabelledExample[] = [];
    for (const row of rows) {
      const example: LabelledExample = { id: row.post_id, text: row.text, lang: row.lang };
      if (row.complaint !== null) example.complaint = row.complaint;
      if (isPolarity(row.polarity)) example.polarity = row.polarity;
      if (row.category !== null && categories.has(row.category)) example.category = row.category;
      if (isFault(row.fault)) example.fault = row.fault;
      if (hasAnyLabel(example)) examples.push(example);
    }
    return examples;
  }
}
