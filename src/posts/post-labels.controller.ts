import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Page } from '../common/pagination';
import { UuidParam } from '../common/uuid-param.pipe';
import { CreatePostLabelBody, ListPostLabelsQuery } from './post-labels.dto';
import type { PostLabelView } from './post-labels.repository';
import { PostLabelsService, type PostLabelCreated } from './post-labels.service';

@ApiTags('posts')
@Controller('posts/:id/labels')
export class PostLabelsController {
  constructor(private readonly labels: PostLabelsService) {}

  @Post()
  @ApiOperation({
    summary: "An agent's label for a post (complaint, polarity, category, fault); the scorer learns from it, and a complaint without a case gets one",
  })
  add(@Param('id', new UuidParam('post id')) id: string, @Body() body: CreatePostLabelBody): Promise<PostLabelCreated> {
    return this.labels.add(id, body);
  }

  @Get()
  @ApiOperation({ summary: "A post's labels, newest first (the newest label per field wins)" })
  list(@Param('id', new UuidParam('post id')) id: string, @Query() query: ListPostLabelsQuery): Promise<Page<PostLabelView>> {
    return this.labels.list(id, query);
  }
}
