import { Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { IngestModule } from '../ingest/ingest.module';
import { DemoConnector } from './demo/demo.connector';
import { SOURCE_CONNECTORS, type SourceConnector } from './source-connector';
import { SourcePollerService } from './source-poller.service';
import { SourcesController } from './sources.controller';
import { SourcesRepository } from './sources.repository';

/** Collects the connectors the configuration turns on. Real platforms join this list later. */
async function createConnectors(config: AppConfig): Promise<SourceConnector[]> {
  const connectors: SourceConnector[] = [];
  const demo = config.sources.demo;
  if (demo.enabled === true || (demo.enabled === 'auto' && connectors.length === 0)) {
    connectors.push(await DemoConnector.load(demo));
  }
  return connectors;
}

@Module({
  imports: [IngestModule],
  controllers: [SourcesController],
  providers: [SourcesRepository, SourcePollerService, { provide: SOURCE_CONNECTORS, useFactory: createConnectors, inject: [APP_CONFIG] }],
  exports: [SourcesRepository],
})
export class SourcesModule {}
