import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Page } from '../common/pagination';
import { UuidParam } from '../common/uuid-param.pipe';
import type { AuthUser } from '../users/auth-user';
import { CurrentUser } from '../users/current-user.decorator';
import { RequirePermission } from '../users/require-permission.decorator';
import { CreatePostLabelBody, ListPostLabelsQuery } from './post-labels.dto';
import type { PostLabelView } from './post-labels.repository';
import { PostLabelsService, type PostLabelCreated } from './post-labels.service';

@ApiTags('posts')
@Controller('posts/:id/labels')
export class PostLabelsController {
  constructor(private readonly labels: PostLabelsService) {}

  /** cases:work, not cases:read: a complaint label can open a case. */
  @Post()
  @RequirePermission('cases:work')
  @ApiOperation({
    summary:
      "An agent's label for a post (complaint, polarity, category, fault), recorded as the signed-in user's; the scorer learns from it, and a complaint without a case gets one",
  })
  add(@CurrentUser() user: AuthUser, @Param('id', new UuidParam('post id')) id: string, @Body() body: CreatePostLabelBody): Promise<PostLabelCreated> {
    return this.labels.add(id, body, user);
  }

  @Get()
  @RequirePermission('cases:read')
  @ApiOperation({ summary: "A post's labels, newest first (the newest label per field wins)" })
  list(@Param('id', new UuidParam('post id')) id: string, @Query() query: ListPostLabelsQuery): Promise<Page<PostLabelView>> {
    return this.labels.list(id, query);
  }
}
