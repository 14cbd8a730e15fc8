import { messageOf } from '../common/error.util';
import type { ScoringModel } from '../domain/scoring/scoring-model';
import { ModelFileLoadError, readModelFile } from '../scoring/model-file';
import { UsageError } from './cli-error';

/**
 * Loads a model file named on the command line (`score --model`, `train --prior`). A file that
 * cannot be read or is not a model is a usage error that names the option, the file and what is wrong.
 */
export function loadModelFile(file: string, option: string): ScoringModel {
  try {
    return readModelFile(file);
  } catch (error) {
    if (!(error instanceof ModelFileLoadError)) throw error;
    switch (error.problem) {
      case 'unreadable':
        throw new UsageError(`${option} ${file}: cannot read the model file (${describeFileError(error.cause)})`);
      case 'not_json':
        throw new UsageError(`${option} ${file}: the model file is not valid JSON (${messageOf(error.cause)})`);
      case 'not_a_model':
        throw new UsageError(`${option} ${file}: not a valid model file: ${messageOf(error.cause)}`);
    }
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
