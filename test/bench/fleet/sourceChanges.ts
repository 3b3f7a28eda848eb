import { writeDirectoryFile } from './fileDirectory.js';
import type { FleetWorld } from './fleetWorld.js';

const USERS_PER_TENANT = 2;

/**
 * One round of source edits, as a day brings them: a new title for two users in each of a few
 * tenants, file exports rewritten and Entra users updated. Each edit costs the platform exactly one
 * write (a user PATCH) at the tenant's next run. Rounds walk through the tenants, so none is
 * edited twice in a row. Returns how many users changed.
 */
export function changeSources(world: FleetWorld, round: number, tenantsPerRound: number): number {
  const files = [...world.files.entries()];
  const graphs = [...world.graphs.entries()];
  let changed = 0;
  for (let slot = 0; slot < tenantsPerRound && files.length > 0; slot++) {
    const [, file] = files[(round * tenantsPerRound + slot) % files.length]!;
    for (let edit = 0; edit < USERS_PER_TENANT; edit++) {
      const user = file.directory.users[(round * 7 + edit * 13) % file.directory.users.length]!;
      const title = `Fleet change ${round}.${edit}`;
      if (user.title === title) continue;
      user.title = title;
      changed++;
    }
    writeDirectoryFile(file.path, file.directory);
  }
  if (graphs.length > 0) {
    const [, graph] = graphs[round % graphs.length]!;
    // A disabled user never got an account, so a new title of theirs is nothing to write.
    const users = graph.directory
      .sortedUsers()
      .filter((id) => graph.directory.user(id)?.properties.accountEnabled !== false);
    for (let edit = 0; edit < USERS_PER_TENANT; edit++) {
      const id = users[(round * 7 + edit * 13) % users.length]!;
      const title = `Fleet change ${round}.${edit}`;
      if (graph.directory.user(id)?.properties.jobTitle === title) continue;
      graph.directory.updateUser(id, { jobTitle: title });
      changed++;
    }
  }
  return changed;
}
