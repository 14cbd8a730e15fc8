import { Module } from '@nestjs/common';
import { PostsModule } from '../posts/posts.module';
import { CaseTriageService } from './case-triage.service';
import { CasesController } from './cases.controller';
import { CasesRepository } from './cases.repository';
import { CasesService } from './cases.service';

@Module({
  imports: [PostsModule],
  controllers: [CasesController],
  providers: [CasesRepository, CasesService, CaseTriageService],
  exports: [CaseTriageService],
})
export class CasesModule {}
