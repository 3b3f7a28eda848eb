import type { DirectorySnapshot } from '../../src/model/directory.js';
import type { SubjectLookup, SubjectReferences } from '../../src/model/source.js';

/**
 * The references resolved in the whole export, which the engine then narrows: files are small
 * enough for that. Users match by id, or by userName or email ignoring case; groups by id or name.
 */
export function lookupSubjects(snapshot: DirectorySnapshot, subjects: SubjectReferences): SubjectLookup {
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
}
