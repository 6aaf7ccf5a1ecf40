import { requestJson } from '../../../src/http.ts';
import { AuthorityRefusedError, problemFrom } from '../../../src/problems.ts';
import { SelfServiceRefusedError, selfServiceRefusal } from '../../../src/selfservice-problems.ts';

export { AuthorityRefusedError, SelfServiceRefusedError };

/** JSON to and from the authority; a refusal keeps the authority's problem (code, extras). */
export function callAuthority(
  authority: string,
  method: 'GET' | 'POST',
  path: string,
  options: { body?: unknown; authorization?: string } = {},
): Promise<Record<string, unknown>> {
  return requestJson(
    new URL(path, authority),
    { method, ...options, authority, label: `${method} ${path}` },
    path.startsWith('/selfservice') || path.startsWith('/application-credentials')
      ? selfServiceRefusal
      : (status, parsed) => new AuthorityRefusedError(problemFrom(status, parsed)),
  );
}
