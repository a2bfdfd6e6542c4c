import { ConfigurationError, type AppConfig } from '../config/configuration';

export const SESSION_CONFIG = Symbol('SESSION_CONFIG');

/** The portal's sign-in: local mode's demo people, or OIDC authorization code with PKCE in server mode. */
export interface SessionConfig {
  mode: 'local' | 'server';
  /** Server mode with the portal's OIDC client configured; absent: the portal cannot sign anyone in (bearer tokens still work). */
  oidc?: {
    issuer: string;
    clientId: string;
    clientSecret?: string;
    /** Where the issuer sends the browser back: https://<portal>/session/oidc/callback. */
    redirectUri: string;
    scopes: string;
  };
  /** How long a local-mode demo session lasts. */
  localSessionSeconds: number;
  /** The read models' schema (the caller's recent decisions are read from the audit log). */
  readModelSchema: string;
}

/**
 * Read from the environment beside the service's own configuration: OIDC_CLIENT_ID,
 * OIDC_CLIENT_SECRET (optional: a public client with PKCE needs none), OIDC_REDIRECT_URI,
 * OIDC_SCOPES (default "openid profile"). Every problem is reported at once, like loadConfig.
 */
export function loadSessionConfig(config: AppConfig): SessionConfig {
  const env = config.env;
  const problems: string[] = [];
  let oidc: SessionConfig['oidc'];
  if (config.mode === 'server' && env.OIDC_CLIENT_ID) {
    const redirectUri = env.OIDC_REDIRECT_URI ?? '';
    let url: URL | undefined;
    try {
      url = new URL(redirectUri);
    } catch {
      problems.push('OIDC_REDIRECT_URI is required with OIDC_CLIENT_ID: the absolute URL of /session/oidc/callback');
    }
    if (url && url.protocol !== 'https:' && !/^(127\.|localhost$|\[::1\]$)/.test(url.hostname)) problems.push('OIDC_REDIRECT_URI must be https (plain http only on the loopback address)');
    if (url && url.pathname !== '/session/oidc/callback') problems.push('OIDC_REDIRECT_URI must end in /session/oidc/callback');
    oidc = { issuer: config.oidc?.issuer ?? env.OIDC_ISSUER ?? '', clientId: env.OIDC_CLIENT_ID, clientSecret: env.OIDC_CLIENT_SECRET || undefined, redirectUri, scopes: env.OIDC_SCOPES?.trim() || 'openid profile' };
    if (!oidc.scopes.split(/\s+/).includes('openid')) problems.push('OIDC_SCOPES must include openid');
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  return { mode: config.mode, oidc, localSessionSeconds: 8 * 3600, readModelSchema: config.readModelSchema };
}
