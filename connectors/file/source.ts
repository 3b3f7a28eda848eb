import type { FileSourceConfig } from '../../src/config/load.js';
import type { Source } from '../../src/model/source.js';
import { withSourceErrors } from '../shared/sourceErrors.js';
import { fileFailureClass } from './errors.js';
import { readFullDirectory } from './fullRead.js';
import { lookupSubjects } from './lookup.js';
import { suggestSubjects } from './suggest.js';
import { testFileConnection } from './testConnection.js';

/** A directory export on disk. It has no change feed, so every run of a file tenant is full. */
export function createFileSource(config: FileSourceConfig): Source {
  return withSourceErrors(
    {
      readFull: () => readFullDirectory(config),
      lookup: async (subjects) => lookupSubjects((await readFullDirectory(config)).snapshot, subjects),
      suggest: async (kind, text, limit) =>
        suggestSubjects((await readFullDirectory(config)).snapshot, kind, text, limit),
      testConnection: () => testFileConnection(config),
    },
    fileFailureClass,
  );
}
