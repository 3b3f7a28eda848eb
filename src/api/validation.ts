import type { FastifySchemaCompiler, FastifyTypeProvider } from 'fastify';
import type { z } from 'zod';
import { invalidInput } from './httpErrors.js';

/**
 * Requests are checked against the zod schemas their routes declare, and a failure is the API's
 * bounded 400 (the failing field, the first problems, their count) rather than fastify's own.
 */
export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const parsed = schema.safeParse(data ?? {});
    if (parsed.success) return { value: parsed.data };
    return { error: invalidInput(parsed.error, httpPart === 'body' ? 'body' : 'query') };
  };

/**
 * Handlers read requests typed by their zod schemas. Answers are checked when serialised, not at
 * compile time: the answer schemas are loose, and the service's own types are the stricter ones.
 */
export interface ZodRequestTypeProvider extends FastifyTypeProvider {
  validator: this['schema'] extends z.ZodType ? z.output<this['schema']> : unknown;
  serializer: unknown;
}
