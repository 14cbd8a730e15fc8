import { Module } from '@nestjs/common';
import { IngestModule } from '../ingest/ingest.module';
import { PlatformsModule } from './platforms.module';
import { SourceHealthService } from './source-health.service';
import { SourcePollerService } from './source-poller.service';
import { SourcesController } from './sources.controller';
import { SourcesRepository } from './sources.repository';

@Module({
  imports: [IngestModule, PlatformsModule],
  controllers: [SourcesController],
  providers: [SourcesRepository, SourcePollerService, SourceHealthService],
  exports: [SourcesRepository, PlatformsModule],
})
export class SourcesModule {}
