import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { PostsModule } from '../posts/posts.module';
import { IngestService } from './ingest.service';

@Module({
  imports: [CasesModule, PostsModule],
  providers: [IngestService],
  exports: [IngestService],
})
export class IngestModule {}
