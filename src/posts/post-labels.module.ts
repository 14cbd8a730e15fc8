import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { PostLabelsController } from './post-labels.controller';
import { PostLabelsRepository } from './post-labels.repository';
import { PostLabelsService } from './post-labels.service';

/** Labels live beside posts but need case triage, and CasesModule already imports PostsModule: hence a module of their own. */
@Module({
  imports: [CasesModule],
  controllers: [PostLabelsController],
  providers: [PostLabelsRepository, PostLabelsService],
})
export class PostLabelsModule {}
