import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The entry module every console page loads; it imports the others by relative path. */
export const CONSOLE_ENTRY_SCRIPT = 'console.js';

/**
 * Where `npm run build` put the browser code of src/api/console/client. In a build this module sits
 * beside it; tests run the server from its TypeScript sources, and the browser code is only ever
 * served compiled, so from its sources the same folder under dist/ is used.
 */
function compiledClientDirectory(): string {
  const beside = fileURLToPath(new URL('./client/', import.meta.url));
  if (existsSync(join(beside, CONSOLE_ENTRY_SCRIPT))) return beside;
  const sourceRoot = `${sep}src${sep}api${sep}console${sep}client`;
  const root = beside.slice(0, beside.lastIndexOf(sourceRoot));
  return join(root, 'dist', 'src', 'api', 'console', 'client');
}

/**
 * The compiled console scripts by file name, read once: only these names are served, so a request
 * can never reach another file. A missing build is a start-up error, not a console without scripts.
 */
export function loadClientScripts(): ReadonlyMap<string, string> {
  const directory = compiledClientDirectory();
  if (!existsSync(join(directory, CONSOLE_ENTRY_SCRIPT))) {
    throw new Error(`the console's browser code is not built (${directory}): run npm run build`);
  }
  const scripts = new Map<string, string>();
  for (const name of readdirSync(directory)) {
    if (name.endsWith('.js')) scripts.set(name, readFileSync(join(directory, name), 'utf8'));
  }
  return scripts;
}
