// Browser-safe (no Node built-ins), like errors.ts: the web wallet imports it as @netid/protocol/json.

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
