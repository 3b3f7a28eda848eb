import type { FileSourceConfig } from '../../src/config/load.js';
import type { Source } from '../../src/model/source.js';
import { withSourceErrors } from '../shared/sourceErrors.js';
import { fileFailureClass } from './errors.js';
import { readDirectoryFile } from './fullRead.js';
import { lookupSubjects } from './lookup.js';
import { testFileConnection } from './testConnection.js';

/** A directory export on disk. It has no change feed, so every run of a file tenant is full. */
export function createFileSource(config: FileSourceConfig): Source {
  return withSourceErrors(
    {
      readFull: async () => ({ snapshot: await readDirectoryFile(config) }),
      lookup: async (subjects) => lookupSubjects(await readDirectoryFile(config), subjects),
      testConnection: () => testFileConnection(config),
    },
    fileFailureClass,
  );
}
