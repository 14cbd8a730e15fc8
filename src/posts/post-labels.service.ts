import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CaseTriageService } from '../cases/case-triage.service';
import { decodeCursor, DEFAULT_PAGE_SIZE, isUuid, toPage, type Page } from '../common/pagination';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { hasAnyLabel } from '../domain/scoring/labelled-data';
import type { PostScore } from '../domain/scoring/post-score';
import { AdaptiveScorer, type ModelInUse } from '../scoring/adaptive-scorer.service';
import type { AuthUser } from '../users/auth-user';
import type { CreatePostLabelBody, ListPostLabelsQuery } from './post-labels.dto';
import { PostLabelsRepository, type LabelledPost, type PostLabelView } from './post-labels.repository';

export interface PostLabelCreated extends PostLabelView {
  /** The post's case after the label: a complaint label opens (or joins) one for a post that had none. */
  caseId: string | null;
  /** The model scoring posts once this label was learned from. */
  model: ModelInUse;
}

interface LabelCursor {
  id: string;
}

function isLabelCursor(value: unknown): value is LabelCursor {
  return typeof value === 'object' && value !== null && isUuid((value as LabelCursor).id);
}

@Injectable()
export class PostLabelsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly labels: PostLabelsRepository,
    private readonly triage: CaseTriageService,
    private readonly scorer: AdaptiveScorer,
  ) {}

  /**
   * Records the label; a complaint label on a post without a case triages it (in the same
   * transaction) as a complaint, so a complaint the scorer missed still gets an owner. Then the
   * scorer learns from it before this answers. The label is the user's: their name is stored as
   * `labelled_by` (a name, as at the time of labelling, so old labels read the same after a rename).
   */
  async add(postId: string, body: CreatePostLabelBody, user: AuthUser): Promise<PostLabelCreated> {
    const { complaint = null, polarity = null, category = null, fault = null } = body;
    if (!hasAnyLabel(body)) {
      throw new BadRequestException('a label needs at least one of complaint, polarity, category or fault');
    }
    if (category !== null && !this.scorer.categoryIds.has(category)) {
      throw new BadRequestException(`category must be one of ${[...this.scorer.categoryIds].join(', ')}`);
    }
    const { label, caseId } = await this.dataSource.transaction(async (manager) => {
      const post = await this.labels.lockPost(manager, postId);
      if (!post) throw new NotFoundException(`No post has id ${postId}`);
      const stored = await this.labels.insert(manager, {
        postId,
        complaint,
        polarity,
        category,
        fault,
        note: body.note ?? null,
        labelledBy: user.name,
      });
      if (complaint !== null) await this.labels.setPostComplaint(manager, postId, complaint);
      // A "not a complaint" label is only recorded: closing cases is the case workflow's decision.
      if (complaint !== true || post.caseId !== null || post.brandId === null) return { label: stored, caseId: post.caseId };
      const outcome = await this.triage.triage(manager, {
        postId,
        authorId: post.authorId,
        authorFollowers: post.authorFollowers,
        brandId: post.brandId,
        platform: post.platform,
        postedAt: post.postedAt,
        score: this.asComplaint(post, user.name),
      });
      return { label: stored, caseId: outcome.action === 'ignore' ? null : outcome.caseId };
    });
    const model = await this.scorer.relearn();
    return { ...label, caseId, model };
  }

  /** Newest first. */
  async list(postId: string, query: ListPostLabelsQuery): Promise<Page<PostLabelView>> {
    if (!(await this.labels.postExists(postId))) throw new NotFoundException(`No post has id ${postId}`);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = query.cursor ? decodeCursor(query.cursor, isLabelCursor) : undefined;
    const rows = await this.labels.list({ postId, afterId: after?.id, limit: limit + 1 });
    return toPage(rows, limit, (last) => ({ id: last.id }));
  }

  /** The stored score, overridden so triage counts the post as the complaint an agent says it is. */
  private asComplaint(post: LabelledPost, labelledBy: string): PostScore {
    return {
      ...post.score,
      complaint: true,
      complaintProbability: Math.max(post.score.complaintProbability, this.config.thresholds.complaintProbability),
      reasons: [...post.score.reasons, `labelled a complaint by ${labelledBy}`],
    };
  }
}
