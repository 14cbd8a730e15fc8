import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Page } from '../common/pagination';
import { ListPostsQuery } from './posts.dto';
import type { PostView } from './posts.repository';
import { PostsService } from './posts.service';
import { RequirePermission } from '../users/require-permission.decorator';

@ApiTags('posts')
@RequirePermission('cases:read')
@Controller('posts')
export class PostsController {
  constructor(private readonly posts: PostsService) {}

  @Get()
  @ApiOperation({ summary: 'Stored posts with their scores, newest first' })
  list(@Query() query: ListPostsQuery): Promise<Page<PostView>> {
    return this.posts.list(query);
  }
}
