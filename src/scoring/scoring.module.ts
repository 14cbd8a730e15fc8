import { Global, Module } from '@nestjs/common';
import { AdaptiveScorer } from './adaptive-scorer.service';
import { LabelledExamplesRepository } from './labelled-examples.repository';

/** Injection token for the active Scorer. */
export const SCORER = Symbol('SCORER');

@Global()
@Module({
  providers: [LabelledExamplesRepository, AdaptiveScorer, { provide: SCORER, useExisting: AdaptiveScorer }],
  exports: [SCORER, AdaptiveScorer],
})
export class ScoringModule {}
