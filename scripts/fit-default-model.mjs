// Fits the shipped scoring model (care-v2) to the seed corpus and writes it where the scorer
// imports it. Run after editing assets/seed-corpus.csv: npm run fit-default-model
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

process.env.DOTENV_CONFIG_QUIET = 'true';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { readLabelledCsv } = require(join(root, 'dist/src/domain/scoring/labelled-data.js'));
const { fitDefaultModel } = require(join(root, 'dist/src/domain/scoring/training.js'));
const { modelToJson } = require(join(root, 'dist/src/domain/scoring/scoring-model.js'));

const corpus = join(root, 'assets/seed-corpus.csv');
const { examples, skipped } = readLabelledCsv(readFileSync(corpus, 'utf8'));
if (skipped?.length) console.error(`${skipped.length} rows of ${corpus} were skipped`);
const model = fitDefaultModel(examples);
const out = join(root, 'src/domain/scoring/care-v2.model.json');
writeFileSync(out, `${JSON.stringify(modelToJson(model))}\n`);
console.log(`wrote ${out}: ${model.name} fitted on ${examples.length} seed posts`);
