import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { FileSourceConfig } from '../../src/config/load.js';
import type { DirectorySnapshot } from '../../src/model/directory.js';
import { parseDirectoryCsv, parseDirectoryJson } from './parse.js';

/** The whole export, parsed by its configured format, else by its extension (`.csv`, else JSON). */
export async function readDirectoryFile(config: FileSourceConfig): Promise<DirectorySnapshot> {
  const format = config.format ?? (extname(config.path).toLowerCase() === '.csv' ? 'csv' : 'json');
  const text = await readFile(config.path, 'utf8');
  return format === 'csv' ? parseDirectoryCsv(text, config.delimiter) : parseDirectoryJson(text);
}
