import type { Context } from 'hono';
import type { z } from 'zod';
import { Problem } from './problem.ts';

/** Reads a JSON (or form) body and validates it; anything else is a 400 with a stable code. */
export async function readBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const type = c.req.header('content-type') ?? '';
  let raw: unknown;
  try {
    raw = type.startsWith('application/x-www-form-urlencoded') ? await c.req.parseBody() : await c.req.json();
  } catch {
    throw new Problem(400, 'malformed_body', 'the request body is not valid JSON or form data');
  }
  return schema.parse(raw);
}
