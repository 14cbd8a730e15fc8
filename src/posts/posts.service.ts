import { Injectable } from '@nestjs/common';
import { decodeCursor, DEFAULT_PAGE_SIZE, isIsoDate, isUuid, toPage, type Page } from '../common/pagination';
import type { ListPostsQuery } from './posts.dto';
import { PostsRepository, type PostView } from './posts.repository';

interface PostCursor {
  postedAt: string;
  id: string;
}

function isPostCursor(value: unknown): value is PostCursor {
  const cursor = value as PostCursor | null;
  return typeof cursor === 'object' && cursor !== null && isIsoDate(cursor.postedAt) && isUuid(cursor.id);
}

@Injectable()
export class PostsService {
  constructor(private readonly posts: PostsRepository) {}

  /** Newest first. */
  async list(query: ListPostsQuery): Promise<Page<PostView>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = query.cursor ? decodeCursor(query.cursor, isPostCursor) : undefined;
    const rows = await this.posts.list({
      complaint: query.complaint,
      caseId: query.caseId,
      brandId: query.brand,
      after: after && { postedAt: new Date(after.postedAt), id: after.id },
      limit: limit + 1,
    });
    return toPage(rows, limit, (last) => ({ postedAt: last.postedAt.toISOString(), id: last.id }));
  }
}
