import type { components } from './schema';

/**
 * The names the pages give to the API's bodies: each one the generated type of the OpenAPI
 * document (schema.d.ts), so a body that changes shape in the API fails the portal's compile.
 * The calls themselves are typed by their path (`ok(api.GET(...))`); these are for props and state.
 */
type Schemas = components['schemas'];

export type SessionView = Schemas['Session'];
export type Role = NonNullable<SessionView['person']>['roles'][number];

export type ApplicationView = Schemas['ApplicationView'];
export type Status = ApplicationView['status'];
export type Kind = ApplicationView['kind'];
export type Term = NonNullable<ApplicationView['term']>;
export type Scope = Schemas['Scope'];
export type RightsGroup = Scope['groups'][number];
export type EventView = Schemas['EventView'];
export type StateAt = Schemas['StateAt'];

/** A draft's user, term and justification as the draft and edit commands take them. */
export type UserFormValue = Pick<Schemas['DraftApplicationDto'], 'user' | 'term' | 'justification'>;
export type User = UserFormValue['user'];

export type ApplicationActions = Schemas['ApplicationActions'];
/** Why a command would be refused now (null in `actions` when it would not). */
export type Refusal = NonNullable<ApplicationActions['actions'][string]>;

export type QueueItem = Schemas['QueueItem'];
export type UserRight = Schemas['UserRight'];
export type InstitutionRow = Schemas['InstitutionRow'];
export type ImportReport = Schemas['ImportReport'];
export type History = Schemas['ApplicationHistory'];
