import type { EventStoreConfig } from '@atlauja/event-store';
import { loadConfiguration } from './configuration';

/** The event store part of the configuration (tools and tests that open a store and nothing else). */
export function loadEventStoreConfig(env: Record<string, string | undefined>): EventStoreConfig {
  return loadConfiguration(env, 'cli').store;
}
