export { loadConfiguration, DEFAULTS, IN_MEMORY_DATA_DIR, type Configuration, type ProcessRole, type LogLevel } from './configuration';
export { ConfigurationError, type ConfigProblem } from './configuration-error';
export { environment } from './environment';
export { loadEventStoreConfig } from './event-store-config';
export { variables, LOG_LEVELS, EVENT_STORE_KINDS, type VariableName } from './variables';
