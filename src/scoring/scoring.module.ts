import { Global, Module } from '@nestjs/common';
import { LexiconScorer } from '../domain/scoring/lexicon-scorer';

/** Injection token for the active Scorer. */
export const SCORER = Symbol('SCORER');

@Global()
@Module({
  providers: [{ provide: SCORER, useFactory: () => new LexiconScorer() }],
  exports: [SCORER],
})
export class ScoringModule {}
