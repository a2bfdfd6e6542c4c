/** Logins as the rights-over-time projection reads them: the domain's UserAuthenticated event in the day's logins stream. */
import { loginsStream, streamIdOf, type UserAuthenticated } from '@atlauja/domain';

export const USER_AUTHENTICATED: UserAuthenticated['type'] = 'UserAuthenticated';
export type UserAuthenticatedData = UserAuthenticated['data'];

export const loginStream = loginsStream;
export const isLoginStream = (stream: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(streamIdOf(stream, 'logins') ?? '');
