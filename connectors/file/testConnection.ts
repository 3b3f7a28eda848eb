import type { FileSourceConfig } from '../../src/config/load.js';
import type { ConnectionCheck } from '../../src/model/source.js';
import { readDirectoryFile } from './fullRead.js';

/** The one permission a file source needs: the export can be read and parses. */
export async function testFileConnection(config: FileSourceConfig): Promise<ConnectionCheck[]> {
  try {
    const snapshot = await readDirectoryFile(config);
    return [
      {
        name: 'read directory file',
        ok: true,
        message: `${config.path}: ${snapshot.users.length} users, ${snapshot.groups.length} groups`,
      },
    ];
  } catch (error) {
    return [
      { name: 'read directory file', ok: false, message: `${config.path}: ${(error as Error).message}` },
    ];
  }
}
