import { Module } from '@nestjs/common';
import { PostsModule } from '../posts/posts.module';
import { PlatformsModule } from '../sources/platforms.module';
import { CaseDeadlinesService } from './case-deadlines.service';
import { CaseTriageService } from './case-triage.service';
import { CaseWorkflowController } from './case-workflow.controller';
import { CaseWorkflowRepository } from './case-workflow.repository';
import { CaseWorkflowService } from './case-workflow.service';
import { CasesController } from './cases.controller';
import { CasesRepository } from './cases.repository';
import { CasesService } from './cases.service';

@Module({
  imports: [PostsModule, PlatformsModule],
  controllers: [CasesController, CaseWorkflowController],
  providers: [CasesRepository, CasesService, CaseTriageService, CaseWorkflowRepository, CaseWorkflowService, CaseDeadlinesService],
  exports: [CaseTriageService, CaseDeadlinesService],
})
export class CasesModule {}
