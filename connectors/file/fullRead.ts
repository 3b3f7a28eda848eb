import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { FileSourceConfig } from '../../src/config/load.js';
import type { FullRead } from '../../src/model/source.js';
import { parseDirectoryCsv, parseDirectoryJson } from './parse.js';

/**
 * The whole export, parsed by its configured format, else by its extension (`.csv`, else JSON).
 * No cursor: a file has no change feed.
 */
export async function readFullDirectory(config: FileSourceConfig): Promise<FullRead> {
  const format = config.format ?? (extname(config.path).toLowerCase() === '.csv' ? 'csv' : 'json');
  const text = await readFile(config.path, 'utf8');
  return {
    snapshot: format === 'csv' ? parseDirectoryCsv(text, config.delimiter) : parseDirectoryJson(text),
  };
}
