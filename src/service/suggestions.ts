import type { Source, SubjectKind, Suggestion } from '../model/source.js';
import { RunCallCounter } from '../runs/callCounter.js';
import type { TenantRuntime } from '../runs/runtime.js';

/**
 * One source per tenant runtime for the typeahead: a keystroke must not sign in to the directory
 * again (a Graph source holds its access token). A source that failed to start is made afresh.
 */
const sources = new WeakMap<TenantRuntime, Promise<Source>>();

/** The source's users or groups whose name starts with `text` (see `Source.suggest`). */
export async function suggestSubjects(
  runtime: TenantRuntime,
  kind: SubjectKind,
  text: string,
  limit: number,
): Promise<Suggestion[]> {
  let source = sources.get(runtime);
  if (source === undefined) {
    source = runtime.source(new RunCallCounter());
    sources.set(runtime, source);
    source.catch(() => sources.delete(runtime));
  }
  return (await source).suggest(kind, text, limit);
}
