import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The folder holding package.json: the same whether this file runs compiled from dist/ or
 * from source under ts-jest, so bundled files (config/, assets/) are found either way.
 */
export const PROJECT_ROOT = findProjectRoot(__dirname);

function findProjectRoot(start: string): string {
  let folder = start;
  while (!existsSync(path.join(folder, 'package.json'))) {
    const parent = path.dirname(folder);
    if (parent === folder) throw new Error(`No package.json above ${start}`);
    folder = parent;
  }
  return folder;
}

export function resolveFromProjectRoot(file: string): string {
  return path.isAbsolute(file) ? file : path.join(PROJECT_ROOT, file);
}
