import { readFile } from 'node:fs/promises';
import { ModelFileError, parseModel, type ScoringModel } from '../domain/scoring/scoring-model';
import { messageOf, UsageError } from './cli-error';

/**
 * Loads a model file named on the command line (`score --model`, `train --prior`). A file that
 * cannot be read or is not a model is a usage error that names the file and what is wrong.
 */
export async function loadModelFile(file: string, option: string): Promise<ScoringModel> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${option} ${file}: cannot read the model file (${describeFileError(error)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${option} ${file}: the model file is not valid JSON (${messageOf(error)})`);
  }
  try {
    return parseModel(json);
  } catch (error) {
    if (error instanceof ModelFileError) throw new UsageError(`${option} ${file}: not a valid model file: ${error.message}`);
    throw error;
  }
}

/** "no such file" rather than "ENOENT: no such file or directory, open '/full/path'". */
export function describeFileError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder';
  return messageOf(error);
}
