import { InitialSchema1764000000000 } from './1764000000000-initial-schema';

/** Every migration, in order. Listed by class so they load the same from source and from dist/. */
export const MIGRATIONS = [InitialSchema1764000000000];
