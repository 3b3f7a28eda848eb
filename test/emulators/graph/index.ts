export type {
  AppRoleAssignment,
  DeltaExpiry,
  DirectoryCounts,
  DirectoryData,
  GraphDirectory,
} from './directory.js';
export {
  type GeneratedGraphDirectory,
  type GraphDirectorySpec,
  generateGraphDirectory,
} from './generator.js';
export { type GraphEmulator, type GraphEmulatorOptions, startGraphEmulator } from './server.js';
