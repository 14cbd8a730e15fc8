import { readFileSync } from 'node:fs';
import { messageOf } from '../common/error.util';
import { resolveFromProjectRoot } from '../common/project-root';
import { parseModel, type ScoringModel } from '../domain/scoring/scoring-model';

/** What was wrong with a model file: callers word it for their reader (a setting, a command-line option). */
export type ModelFileProblem = 'unreadable' | 'not_json' | 'not_a_model';

/** A model file that cannot be used; the message names the path and what is wrong, `cause` the underlying error. */
export class ModelFileLoadError extends Error {
  constructor(
    message: string,
    readonly problem: ModelFileProblem,
    options: { cause: unknown },
  ) {
    super(message, options);
    this.name = 'ModelFileLoadError';
  }
}

/** Reads and checks a model written by `cli train`, at `file` as given (relative to the working folder). */
export function readModelFile(file: string): ScoringModel {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ModelFileLoadError(`${file} cannot be read (${messageOf(error)})`, 'unreadable', { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ModelFileLoadError(`${file} is not valid JSON (${messageOf(error)})`, 'not_json', { cause: error });
  }
  try {
    return parseModel(json);
  } catch (error) {
    throw new ModelFileLoadError(`${file} cannot be used: ${messageOf(error)}`, 'not_a_model', { cause: error });
  }
}

/** The service's `scoring.modelFile`: a relative path resolves from the project root. */
export function loadModelFile(file: string): ScoringModel {
  return readModelFile(resolveFromProjectRoot(file));
}
