import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { UpstreamError, upstreamAnswer } from '../model/upstream.js';

/** An answer other than success, with the JSON body the client reads. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** Browsers are asked for Basic auth (the token as password) on the dashboard, API clients for a bearer token. */
export const unauthorized = (dashboard: boolean) =>
  new HttpError(
    401,
    'a valid bearer token is required',
    {},
    { 'www-authenticate': dashboard ? 'Basic realm="dirsync", charset="UTF-8"' : 'Bearer realm="dirsync"' },
  );
export const forbidden = (message: string) => new HttpError(403, message);
export const notFound = (what: string) => new HttpError(404, `${what} not found`);

/** Problems listed in a 400, and characters kept of each text in it: every error answer stays small. */
const MAX_PROBLEMS = 20;
const MAX_TEXT = 200;

export function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}

/**
 * 400 naming the first failing field (dotted path; `(body)` when the body itself is wrong), with
 * the first problems and how many there are in all.
 */
export function invalidInput(error: z.ZodError, where: 'body' | 'query'): HttpError {
  const problems = error.issues.slice(0, MAX_PROBLEMS).map((issue) => {
    const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path;
    const field = path.length > 0 ? path.map(String).join('.') : `(${where})`;
    return { field: clip(field), message: clip(issue.message) };
  });
  const first = problems[0] ?? { field: `(${where})`, message: 'invalid' };
  return new HttpError(400, `${first.field}: ${first.message}`, {
    field: first.field,
    problems,
    problemCount: error.issues.length,
  });
}

/** A form or query checked by hand, for routes that declare no schema (the console's forms). */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: 'body' | 'query',
): z.infer<S> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw invalidInput(parsed.error, where);
  return parsed.data;
}

export function sendHttpError(reply: FastifyReply, error: HttpError): FastifyReply {
  return reply
    .code(error.status)
    .headers(error.headers)
    .send({ error: statusName(error.status), message: error.message, ...error.details });
}

export function statusName(status: number): string {
  const names: Record<number, string> = {
    400: 'bad request',
    401: 'unauthorized',
    403: 'forbidden',
    404: 'not found',
    409: 'conflict',
    414: 'URI too long',
    429: 'too many requests',
  };
  return names[status] ?? 'error';
}

/**
 * The request failed because the platform or the source answered an error (or none): 502 with
 * which side, its status and code, and its reason. dirsync's own failures stay 500 `internal`.
 */
export function upstreamHttpError(
  failure: Parameters<typeof upstreamAnswer>[0],
  report: Readonly<Record<string, unknown>> = {},
): HttpError {
  const side = failure.origin === 'platform' ? 'the platform' : 'the source';
  const answered = failure.status > 0 ? `answered ${failure.status}` : 'did not answer';
  return new HttpError(502, `${side} ${answered}`, { ...report, ...upstreamAnswer(failure) });
}

export function isUpstreamError(error: unknown): error is UpstreamError {
  return error instanceof UpstreamError;
}
