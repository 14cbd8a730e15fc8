import { Injectable, NotFoundException } from '@nestjs/common';
import { Clock } from '../common/clock';
import { decodeCursor, DEFAULT_PAGE_SIZE, isIsoDate, isUuid, toPage, type Page } from '../common/pagination';
import { isAcknowledgementOverdue } from '../domain/cases/case-status';
import { isPriority, type Priority } from '../domain/cases/priority';
import { PostsRepository, type PostView } from '../posts/posts.repository';
import { CaseWorkflowRepository, type CommitmentView, type ReplyView } from './case-workflow.repository';
import { CasesRepository, type CaseEventView, type CaseView } from './cases.repository';
import type { ListCasesQuery } from './cases.dto';

export interface CaseSummary extends CaseView {
  /** The acknowledgement deadline has passed without a public acknowledgement. */
  acknowledgementOverdue: boolean;
}

export interface CaseDetail extends CaseSummary {
  posts: PostView[];
  replies: ReplyView[];
  commitments: CommitmentView[];
  events: CaseEventView[];
}

interface CaseCursor {
  priority: Priority;
  openedAt: string;
  id: string;
}

function isCaseCursor(value: unknown): value is CaseCursor {
  const cursor = value as CaseCursor | null;
  return typeof cursor === 'object' && cursor !== null && isPriority(cursor.priority) && isIsoDate(cursor.openedAt) && isUuid(cursor.id);
}

@Injectable()
export class CasesService {
  constructor(
    private readonly cases: CasesRepository,
    private readonly posts: PostsRepository,
    private readonly workflow: CaseWorkflowRepository,
    private readonly clock: Clock,
  ) {}

  /** The work queue: most urgent first, newest first within a priority. */
  async list(query: ListCasesQuery, callerId: string): Promise<Page<CaseSummary>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = query.cursor ? decodeCursor(query.cursor, isCaseCursor) : undefined;
    const rows = await this.cases.list({
      statuses: query.status,
      priorities: query.priority,
      brandId: query.brand,
      ownerId: query.owner === undefined ? undefined : query.owner === 'none' ? null : query.owner === 'me' ? callerId : query.owner.toLowerCase(),
      after: after && { priority: after.priority, openedAt: new Date(after.openedAt), id: after.id },
      limit: limit + 1,
    });
    const now = this.clock.now();
    return toPage(
      rows.map((row) => this.summarise(row, now)),
      limit,
      (last) => ({ priority: last.priority, openedAt: last.openedAt.toISOString(), id: last.id }),
    );
  }

  async get(id: string): Promise<CaseDetail> {
    const found = await this.cases.findById(id);
    if (!found) throw new NotFoundException(`No case has id ${id}`);
    const [posts, replies, commitments, events] = await Promise.all([
      this.posts.listForCase(id),
      this.workflow.listReplies(id),
      this.workflow.listCommitments(id),
      this.cases.listEvents(id),
    ]);
    return { ...this.summarise(found, this.clock.now()), posts, replies, commitments, events };
  }

  private summarise(view: CaseView, now: Date): CaseSummary {
    return { ...view, acknowledgementOverdue: isAcknowledgementOverdue(view, now) };
  }
}
