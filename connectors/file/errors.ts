import type { Failure } from '../../src/model/failure.js';

/** The file is missing, a folder, or not readable by dirsync: its path or permissions need fixing. */
const CONFIGURATION_CODES: ReadonlySet<string> = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'EACCES', 'EPERM']);

/**
 * What a failed read of the export means for the run. A malformed export carries its own class
 * (`DirectoryFileError`); anything else the file system said may pass by the next run.
 */
export function fileFailureClass(error: unknown): Failure {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CONFIGURATION_CODES.has(code)
    ? { class: 'fatal', cause: 'configuration' }
    : { class: 'transient' };
}
