import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { SourceHealth1764100000000 } from './1764100000000-source-health';
import { PostLabels1764200000000 } from './1764200000000-post-labels';
import { CaseWorkflow1764300000000 } from './1764300000000-case-workflow';

/** Every migration, in order. Listed by class so they load the same from source and from dist/. */
export const MIGRATIONS = [InitialSchema1764000000000, SourceHealth1764100000000, PostLabels1764200000000, CaseWorkflow1764300000000];
