/** Who is calling, as the verified token says. `subject` is a personal code: never log it. */
export const ROLES = ['representative', 'approver', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  subject: string;
  roles: Role[];
  /** Registration numbers of the institutions a representative represents. */
  institutions: string[];
  /** Set for machine callers (the portal's login intake), never for people. */
  service?: string;
}

export class Unauthenticated extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'Unauthenticated';
  }
}

export class Forbidden extends Error {
  /** `rule` is a stable code naming the rule that denied, e.g. `ROLE_REQUIRED`. */
  constructor(readonly rule: string, message: string) {
    super(message);
    this.name = 'Forbidden';
  }
}
