/**
 * Events are never changed: an older shape is read through upcasters, each turning one event type's
 * data from schema version v into v + 1, applied in turn until the reader's current version.
 * Hashes are always verified over the stored (original) bytes; upcasting is only for folding.
 */
import { EVENT_CATALOGUE } from '@atlauja/domain';

export interface Upcaster {
  readonly type: string;
  /** The schema version it reads; it returns data of version `from + 1`. */
  readonly from: number;
  readonly upcast: (data: unknown) => unknown;
}

/** Why an event could not be read in the current shape. */
export class UpcastError extends Error {
  constructor(
    readonly code: 'UPCASTER_MISSING' | 'SCHEMA_VERSION_NEWER' | 'SCHEMA_VERSION_INVALID',
    message: string,
  ) {
    super(message);
    this.name = 'UpcastError';
  }
}

export interface Upcasting {
  /** The data in the reader's current shape for its type, and that version. Unknown types pass unchanged. */
  read(type: string, data: unknown, schemaVersion: number): { data: unknown; schemaVersion: number };
}

const keyOf = (type: string, version: number): string => `${type}@${version}`;

/** A reader for `current` versions (per type) with these upcasters, keyed by (type, schema version). */
export function createUpcasting(upcasters: readonly Upcaster[], current: Readonly<Record<string, number>>): Upcasting {
  const table = new Map<string, Upcaster>();
  for (const upcaster of upcasters) {
    const key = keyOf(upcaster.type, upcaster.from);
    if (table.has(key)) throw new Error(`two upcasters for ${key}`);
    table.set(key, upcaster);
  }
  return {
    read(type, data, schemaVersion) {
      const target = current[type];
      if (target === undefined) return { data, schemaVersion };
      if (!Number.isInteger(schemaVersion) || schemaVersion < 0) {
        throw new UpcastError('SCHEMA_VERSION_INVALID', `${type}: schema version ${String(schemaVersion)} is not a non-negative integer`);
      }
      if (schemaVersion > target) {
        throw new UpcastError('SCHEMA_VERSION_NEWER', `${type} v${schemaVersion} was written by a newer version than this reader knows (v${target})`);
      }
      let version = schemaVersion;
      let shaped = data;
      while (version < target) {
        const upcaster = table.get(keyOf(type, version));
        if (!upcaster) throw new UpcastError('UPCASTER_MISSING', `${type} v${version} has no upcaster to v${version + 1}`);
        shaped = upcaster.upcast(shaped);
        version += 1;
      }
      return { data: shaped, schemaVersion: version };
    },
  };
}

/**
 * The production upcasters of every stream type. Empty: every event type is at v1, its first
 * shape. When a shape changes, bump its schemaVersion in the event catalogue (libs/domain) and add
 * its upcaster here, with a stored fixture of the old version under libs/audit/test/fixtures/.
 */
export const APPLICATION_UPCASTERS: readonly Upcaster[] = [];

const CURRENT_VERSIONS: Readonly<Record<string, number>> = Object.fromEntries(Object.entries(EVENT_CATALOGUE).map(([type, entry]) => [type, entry.schemaVersion]));

/** The reader of the current shapes of every catalogued event type. */
export const applicationUpcasting: Upcasting = createUpcasting(APPLICATION_UPCASTERS, CURRENT_VERSIONS);
