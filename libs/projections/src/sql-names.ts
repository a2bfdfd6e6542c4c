/** Schema and table names are spliced into SQL, so they are checked, never taken from a request. */
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export const DEFAULT_READ_MODEL_SCHEMA = 'read_models';

export function assertIdentifier(name: string, what = 'identifier'): string {
  if (!IDENTIFIER.test(name)) throw new TypeError(`${what} must match ${IDENTIFIER} (got "${name}")`);
  return name;
}

/** Where a rebuild of `projection` builds its fresh tables before they are swapped in. */
export function rebuildSchemaOf(schema: string, projection: string): string {
  return assertIdentifier(`${schema}_rebuild_${projection}`, 'rebuild schema');
}
