import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CaseTriageService } from '../cases/case-triage.service';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { findMentionedBrand } from '../domain/brands/brand';
import type { IncomingPost } from '../domain/posts/incoming-post';
import type { Scorer } from '../domain/scoring/post-score';
import { authorKeyOf, PostsRepository, type NewPost } from '../posts/posts.repository';
import { SCORER } from '../scoring/scoring.module';

export interface IngestResult {
  received: number;
  stored: number;
  duplicates: number;
  complaints: number;
  casesOpened: number;
  casesJoined: number;
  casesReopened: number;
  latestPostAt: Date | null;
}

/**
 * Normalise, dedupe, store, score and triage one batch from a source, inside the caller's
 * transaction (the one that also moves the source's cursor).
 */
@Injectable()
export class IngestService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SCORER) private readonly scorer: Scorer,
    private readonly posts: PostsRepository,
    private readonly triage: CaseTriageService,
  ) {}

  async storeBatch(manager: EntityManager, sourceId: string, batch: readonly IncomingPost[]): Promise<IngestResult> {
    const unique = dedupeByExternalId(batch.map(sanitise));
    const authorIds = await this.posts.upsertAuthors(manager, unique);
    const prepared: NewPost[] = unique.map((post) => ({
      post,
      sourceId,
      authorId: authorIds.get(authorKeyOf(post)) as string,
      brandId: post.brandId ?? findMentionedBrand(post.text, this.config.brands)?.id ?? null,
      score: this.scorer.score({ text: post.text, lang: post.lang }),
    }));
    const inserted = await this.posts.insertNew(manager, prepared);

    const result: IngestResult = {
      received: batch.length,
      stored: inserted.size,
      duplicates: batch.length - inserted.size,
      complaints: 0,
      casesOpened: 0,
      casesJoined: 0,
      casesReopened: 0,
      latestPostAt: null,
    };
    // Oldest first, so a customer's first complaint opens the case and later ones join it.
    const stored = prepared.filter(({ post }) => inserted.has(post.externalId)).sort((a, b) => a.post.postedAt.getTime() - b.post.postedAt.getTime());
    for (const item of stored) {
      if (!result.latestPostAt || item.post.postedAt > result.latestPostAt) result.latestPostAt = item.post.postedAt;
      if (item.brandId === null) continue;
      const outcome = await this.triage.triage(manager, {
        postId: inserted.get(item.post.externalId) as string,
        authorId: item.authorId,
        authorFollowers: item.post.author.followers,
        brandId: item.brandId,
        platform: item.post.platform,
        postedAt: item.post.postedAt,
        score: item.score,
      });
      if (outcome.action === 'ignore') continue;
      result.complaints += 1;
      if (outcome.action === 'open') result.casesOpened += 1;
      else if (outcome.action === 'join') result.casesJoined += 1;
      else result.casesReopened += 1;
    }
    return result;
  }
}

/**
 * PostgreSQL text cannot hold NUL, and a bad timestamp cannot be stored: platforms occasionally
 * send both. Clean them here so one odd post cannot stall its source.
 */
function sanitise(post: IncomingPost): IncomingPost {
  const clean = (value: string): string => (value.includes('\u0000') ? value.replaceAll('\u0000', '') : value);
  const cleanOrNull = (value: string | null): string | null => (value === null ? null : clean(value));
  return {
    ...post,
    externalId: clean(post.externalId),
    author: { ...post.author, externalId: clean(post.author.externalId), handle: clean(post.author.handle), displayName: cleanOrNull(post.author.displayName) },
    text: clean(post.text),
    lang: cleanOrNull(post.lang),
    url: cleanOrNull(post.url),
    inReplyToExternalId: cleanOrNull(post.inReplyToExternalId),
    postedAt: Number.isNaN(post.postedAt.getTime()) ? new Date() : post.postedAt,
  };
}

function dedupeByExternalId(batch: readonly IncomingPost[]): IncomingPost[] {
  const seen = new Map<string, IncomingPost>();
  for (const post of batch) seen.set(`${post.platform}:${post.externalId}`, post);
  return [...seen.values()];
}
