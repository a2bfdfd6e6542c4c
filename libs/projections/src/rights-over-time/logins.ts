/**
 * Logins in the e-service's portal, as the login intake records them. The stream is named by the
 * Riga day (`logins-2026-03-02`), never by the person: stream names show up in URLs, logs and the
 * audit log, and a personal code must not.
 */
export const USER_AUTHENTICATED = 'UserAuthenticated';
export const USER_AUTHENTICATED_SCHEMA_VERSION = 1;

export interface UserAuthenticatedData {
  /** Normalized (DDMMYY-CNNNN): the key of the sliding term. */
  personalCode: string;
  /** When the user authenticated in the portal (ISO instant). */
  authenticatedAt: string;
  /** The service credential that reported it. */
  reportedBy: string;
}

const LOGIN_STREAM = /^logins-\d{4}-\d{2}-\d{2}$/;

export const loginStream = (rigaDay: string): string => `logins-${rigaDay}`;
export const isLoginStream = (stream: string): boolean => LOGIN_STREAM.test(stream);
