import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { FileSourceConfig } from '../../src/config/load.js';
import type { DirectorySnapshot } from '../../src/model/directory.js';
import type {
  ConnectionCheck,
  FullRead,
  Source,
  SubjectLookup,
  SubjectReferences,
} from '../../src/model/source.js';
import { parseDirectoryCsv, parseDirectoryJson } from './parse.js';

/**
 * A directory export on disk. It has no change feed, so every run of a file tenant is full.
 * Lookups read the whole file and let the engine narrow it: files are small enough for that.
 */
export function createFileSource(config: FileSourceConfig): Source {
  const format = config.format ?? (extname(config.path).toLowerCase() === '.csv' ? 'csv' : 'json');

  async function read(): Promise<DirectorySnapshot> {
    const text = await readFile(config.path, 'utf8');
    return format === 'csv' ? parseDirectoryCsv(text, config.delimiter) : parseDirectoryJson(text);
  }

  return {
    async readFull(): Promise<FullRead> {
      return { snapshot: await read() };
    },

    async lookup(subjects: SubjectReferences): Promise<SubjectLookup> {
      const snapshot = await read();
      const resolved: Record<string, string> = {};
      for (const reference of subjects.users) {
        const wanted = reference.toLowerCase();
        const user = snapshot.users.find(
          (candidate) =>
            candidate.id === reference ||
            String(candidate.attributes.userName ?? '').toLowerCase() === wanted ||
            String(candidate.attributes.email ?? '').toLowerCase() === wanted,
        );
        if (user) resolved[reference] = user.id;
      }
      for (const reference of subjects.groups) {
        const group = snapshot.groups.find(
          (candidate) => candidate.id === reference || candidate.displayName === reference,
        );
        if (group) resolved[reference] = group.id;
      }
      return { snapshot, resolved };
    },

    async testConnection(): Promise<ConnectionCheck[]> {
      try {
        const snapshot = await read();
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
    },
  };
}
