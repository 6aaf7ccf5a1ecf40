import { isNetidError } from '@netid/protocol';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';

/**
 * An RFC 9457 problem. `code` is the stable identifier clients branch on (also sent as `type`,
 * `urn:netid:problem:<code>`); `detail` is for people and never carries personal data.
 */
export class Problem extends Error {
  override readonly name = 'Problem';
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(`${code}: ${title}`);
  }
}

export function problemBody(p: Problem): Record<string, unknown> {
  return {
    type: `urn:netid:problem:${p.code}`,
    title: p.title,
    status: p.status,
    code: p.code,
    ...(p.detail ? { detail: p.detail } : {}),
    ...p.extra,
  };
}

export function respondProblem(c: Context, p: Problem): Response {
  return c.body(JSON.stringify(problemBody(p)), p.status, { 'content-type': 'application/problem+json' });
}

/** Maps whatever a handler threw to a problem; only the unexpected is a 500, and it says nothing. */
export function toProblem(error: unknown, log: (line: string) => void): Problem {
  if (error instanceof Problem) return error;
  if (isNetidError(error)) return new Problem(400, error.code, error.message);
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'body';
    return new Problem(
      400,
      'invalid_request',
      'the request is not valid',
      `${where}: ${issue?.message ?? 'invalid'}`,
    );
  }
  if (error instanceof HTTPException) {
    if (error.status === 413) return new Problem(413, 'body_too_large', 'the request body is too large');
    return new Problem(
      error.status as ContentfulStatusCode,
      'http_error',
      error.message || 'request refused',
    );
  }
  // No stack, no message: either could carry personal data from the request.
  log(`unexpected error: ${(error as Error)?.name ?? typeof error}`);
  return new Problem(500, 'server_error', 'the server could not complete the request');
}
