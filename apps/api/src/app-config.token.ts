/** The application's configuration (AppConfig), injected where a feature needs it. */
export const APP_CONFIG = Symbol('APP_CONFIG');
