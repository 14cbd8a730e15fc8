import { readFileSync } from 'node:fs';
import { resolveFromProjectRoot } from '../common/project-root';
import { CareScorer, defaultModel, handSetModel } from '../domain/scoring/care-scorer';
import { readLabelledCsv } from '../domain/scoring/labelled-data';
import { modelToJson } from '../domain/scoring/scoring-model';
import { fitDefaultModel } from '../domain/scoring/training';

/**
 * The shipped model is exactly what fitting the hand-set model to the seed corpus gives: the
 * file in the repository cannot drift from the corpus, or come from anywhere else.
 */
describe('the shipped scoring model (care-v2)', () => {
  const corpus = readLabelledCsv(readFileSync(resolveFromProjectRoot('assets/seed-corpus.csv'), 'utf8'));
  const shipped: unknown = JSON.parse(readFileSync(resolveFromProjectRoot('src/domain/scoring/care-v2.model.json'), 'utf8'));

  it('reads every row of the seed corpus', () => {
    expect(corpus.skipped).toEqual([]);
    expect(corpus.examples.length).toBeGreaterThan(400);
  });

  it('is the hand-set model fitted to the seed corpus (run `npm run fit-default-model` after editing the corpus)', () => {
    const refitted: unknown = JSON.parse(JSON.stringify(modelToJson(fitDefaultModel(corpus.examples))));
    expect(refitted).toEqual(shipped);
  });

  it('is what the scorer uses by default, fitted from the hand-set prior', () => {
    const model = defaultModel();
    expect(model.name).toBe('care-v2');
    expect(model.training?.prior).toBe(handSetModel().name);
    expect(new CareScorer().name).toBe('care-v2');
  });

  it('keeps the hand-set category heads for a deployment with categories of its own', () => {
    const categories = [
      { id: 'connectivity', cues: ['no signal', 'dropped call*'] },
      { id: 'other', cues: [] },
    ];
    const model = defaultModel(categories);
    expect([...model.category.keys()]).toEqual(['connectivity', 'other']);
    expect(model.category.get('connectivity')).toEqual(handSetModel(categories).category.get('connectivity'));
    const scorer = new CareScorer({ categories });
    expect(scorer.score({ text: '@telco no signal since Monday and dropped calls all day, fix it' }).category).toBe('connectivity');
  });
});
