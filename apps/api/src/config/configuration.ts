/**
 * The api's view of the one configuration (@atlauja/config): the same schema as the worker's and
 * the CLI's, checked for what the api needs (in server mode: the token issuer and the trust folders).
 */
import { ConfigurationError, loadConfiguration, type Configuration } from '@atlauja/config';

export { ConfigurationError };

export interface AppConfig extends Configuration {
  /** The environment it was read from, for what the schema does not declare (yet). */
  env: Record<string, string | undefined>;
}

/** Every problem is collected and reported at once, each naming the variable and the rule. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  return { ...loadConfiguration(env, 'api'), env };
}
