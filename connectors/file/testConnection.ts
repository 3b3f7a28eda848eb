import type { FileSourceConfig } from '../../src/config/load.js';
import type { ConnectionCheck } from '../../src/model/source.js';
import { runProbes } from '../shared/connectionProbes.js';
import { readFullDirectory } from './fullRead.js';

/** The one permission a file source needs: the export can be read and parses. */
export function testFileConnection(config: FileSourceConfig): Promise<ConnectionCheck[]> {
  return runProbes(
    [
      {
        name: 'read directory file',
        permission: 'read',
        run: async () => {
          const { snapshot } = await readFullDirectory(config);
          return `${config.path}: ${snapshot.users.length} users, ${snapshot.groups.length} groups`;
        },
      },
    ],
    (error) => `${config.path}: ${(error as Error).message}`,
  );
}
