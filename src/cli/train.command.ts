import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CsvError, readLabelledCsv, type LabelledFile } from '../domain/scoring/labelled-data';
import { DEFAULT_CATEGORY_IDS } from '../domain/scoring/care-scorer';
import { modelToJson, type ScoringModel } from '../domain/scoring/scoring-model';
import { trainModel, type TrainingOptions } from '../domain/scoring/training';
import type { TrainArguments } from './cli-arguments';
import { CliError, UsageError } from './cli-error';
import { describeFileError, loadModelFile } from './model-file';

/** Skipped rows listed one by one; past this many only the count is given. */
const SKIPPED_ROWS_LISTED = 20;

export interface TrainRun {
  model: ScoringModel;
  examples: number;
  skipped: number;
  outFile: string;
}

/** `cli train`: labelled CSV in, model JSON out; everything it says goes to `log` (stderr). */
export async function trainCommand(args: TrainArguments, log: (line: string) => void): Promise<TrainRun> {
  const prior = args.priorFile === undefined ? undefined : loadModelFile(args.priorFile, '--prior');

  let text: string;
  try {
    text = await readFile(args.inFile, 'utf8');
  } catch (error) {
    throw new UsageError(`--in ${args.inFile}: cannot read the labelled file (${describeFileError(error)})`);
  }

  // Labels outside the categories of the model being trained could not be learned: skip those rows.
  const categories = prior ? [...prior.category.keys()] : [...DEFAULT_CATEGORY_IDS];
  let file: LabelledFile;
  try {
    file = readLabelledCsv(text, categories);
  } catch (error) {
    if (error instanceof CsvError) throw new CliError(`${args.inFile}: ${error.message}`);
    throw error;
  }

  log(`read ${file.examples.length} examples from ${args.inFile} (${file.layout === 'airline-sentiment' ? 'airline sentiment layout' : 'labels layout'})`);
  if (file.skipped.length > 0) {
    for (const row of file.skipped.slice(0, SKIPPED_ROWS_LISTED)) log(`skipped line ${row.line}: ${row.reason}`);
    const unlisted = file.skipped.length - SKIPPED_ROWS_LISTED;
    if (unlisted > 0) log(`... and ${unlisted} more skipped rows`);
    log(`skipped ${file.skipped.length} rows in all`);
  }
  if (file.examples.length === 0) throw new CliError(`${args.inFile}: no usable examples to train on`);

  const options: TrainingOptions = { onProgress: (message) => log(message) };
  if (prior) options.prior = prior;
  if (args.epochs !== undefined) options.epochs = args.epochs;
  if (args.name !== undefined) options.name = args.name;
  const model = trainModel(file.examples, options);

  await writeModelFile(args.outFile, `${JSON.stringify(modelToJson(model), null, 2)}\n`);

  const { labels } = model.training;
  log(`trained model "${model.name}" on ${file.examples.length} examples (from ${prior ? `--prior ${prior.name}` : 'the shipped model'})`);
  log(`labels per head: complaint ${labels.complaint}, polarity ${labels.polarity}, category ${labels.category}, fault ${labels.fault}`);
  log(`wrote ${args.outFile}`);
  return { model, examples: file.examples.length, skipped: file.skipped.length, outFile: args.outFile };
}

/**
 * Writes beside the target, then renames: a reader (the service loading `scoring.modelFile`)
 * never sees half a model, and a failed run leaves the previous model in place.
 */
async function writeModelFile(file: string, content: string): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, content, 'utf8');
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new CliError(`--out ${file}: cannot write the model file (${describeFileError(error)})`);
  }
}
