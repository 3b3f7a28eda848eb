import type { Failure } from '../../src/model/failure.js';
import { CursorExpiredError, type Source, SourceError } from '../../src/model/source.js';
import { UpstreamError } from '../../src/model/upstream.js';

/**
 * The source, with every failure it throws turned into a `SourceError` that says what it means for
 * the run; `classify` reads the connector's own errors. `CursorExpiredError` and failures already
 * classified pass as they are.
 */
export function withSourceErrors(
  source: Source,
  classify: (error: unknown) => Failure,
  /** The connector's own reading of its SDK's errors, with the status and code they carry. */
  translate: (error: unknown) => unknown = (error) => error,
): Source {
  const guard =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await call(...args);
      } catch (error) {
        throw asSourceError(translate(error), classify);
      }
    };
  const { readChanges } = source;
  return {
    readFull: guard(() => source.readFull()),
    ...(readChanges && { readChanges: guard(readChanges.bind(source)) }),
    lookup: guard((subjects) => source.lookup(subjects)),
    suggest: guard((kind, text, limit) => source.suggest(kind, text, limit)),
    testConnection: guard(() => source.testConnection()),
  };
}

function asSourceError(error: unknown, classify: (error: unknown) => Failure): Error {
  if (error instanceof UpstreamError || error instanceof CursorExpiredError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new SourceError(message, classify(error), { cause: error });
}
