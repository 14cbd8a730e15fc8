import { readFileSync } from 'node:fs';
import { messageOf } from '../common/error.util';
import { resolveFromProjectRoot } from '../common/project-root';
import { parseModel, type ScoringModel } from '../domain/scoring/scoring-model';

/** A model file that cannot be used; the message names the resolved path and what is wrong. */
export class ModelFileLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelFileLoadError';
  }
}

/** Reads a model written by `cli train`; a relative path resolves from the project root. */
export function loadModelFile(file: string): ScoringModel {
  const resolved = resolveFromProjectRoot(file);
  let text: string;
  try {
    text = readFileSync(resolved, 'utf8');
  } catch (error) {
    throw new ModelFileLoadError(`${resolved} cannot be read (${messageOf(error)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ModelFileLoadError(`${resolved} is not valid JSON (${messageOf(error)})`);
  }
  try {
    return parseModel(json);
  } catch (error) {
    throw new ModelFileLoadError(`${resolved} cannot be used: ${messageOf(error)}`);
  }
}
