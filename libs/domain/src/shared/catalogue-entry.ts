/**
 * The event catalogue's shape: what every stored event type declares once, beside its stream type.
 * A catalogue is typed by its event union, so a new event type without its entry does not compile.
 */
import type { Actor, ActorRole } from './actor';

export interface ReplayBase {
  /** The stream's own id (application id, registration number, campaign id, grant id). */
  readonly id: string;
  readonly actor: Actor;
  readonly at: string;
}

export interface CatalogueEntry<E extends { readonly type: string; readonly data: object }, C extends { readonly type: string }> {
  /** Version of the event's `data` shape: bump it (and add an upcaster) when the shape changes. */
  readonly schemaVersion: number;
  /** The field of `data` that names who acted. */
  readonly actorField: Extract<keyof E['data'], string>;
  /** The field of `data` that says when the command was accepted. */
  readonly timeField: Extract<keyof E['data'], string>;
  /** The roles that may record it; the first is the one assumed for an event stored without its role. */
  readonly roles: readonly [ActorRole, ...ActorRole[]];
  /** The command type that records it. */
  readonly command: C['type'];
  /** That command rebuilt from the stored event, so an auditor asks the machine again. */
  readonly replay: (event: E, base: ReplayBase) => C;
}

export type CatalogueOf<E extends { readonly type: string; readonly data: object }, C extends { readonly type: string }> = {
  readonly [T in E['type']]: CatalogueEntry<Extract<E, { readonly type: T }>, C>;
};

/** What reading an event's actor and time needs of any catalogue. */
type Fields = Readonly<Record<string, { readonly actorField: string; readonly timeField: string }>>;

/** Who acted, by the catalogue's field (undefined when the type is not catalogued or the data does not say). */
export function actorOfEvent(catalogue: Fields, event: { readonly type: string; readonly data: unknown }): string | undefined {
  const field = catalogue[event.type]?.actorField;
  const value = field && event.data && typeof event.data === 'object' ? (event.data as Record<string, unknown>)[field] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** When it was accepted, by the catalogue's field ('' when the data does not say). */
export function timeOfEvent(catalogue: Fields, event: { readonly type: string; readonly data: unknown }): string {
  const field = catalogue[event.type]?.timeField;
  const value = field && event.data && typeof event.data === 'object' ? (event.data as Record<string, unknown>)[field] : undefined;
  return typeof value === 'string' ? value : '';
}

/** Each event type's schema version, read off a catalogue. */
export function schemaVersionsOf<T extends string>(catalogue: { readonly [K in T]: { readonly schemaVersion: number } }): Readonly<Record<T, number>> {
  return Object.fromEntries(Object.entries<{ schemaVersion: number }>(catalogue).map(([type, entry]) => [type, entry.schemaVersion])) as Record<T, number>;
}
