/** @atlauja/domain: the pure core. No I/O, no clock, no randomness: time, ids and actor come with the command. */
export * from './shared/errors';
export * from './shared/actor';
export * from './shared/personal-code';
export { textFault, type TextFault } from './shared/text';
export {
  addMonths,
  compareIsoDates,
  dateOfInstant,
  isCalendarDate,
  isIsoInstant,
  parseIsoDate,
  type CalendarDate,
} from './shared/time';
export * from './application';
export * from './institution';
export * from './recertification';
export * from './grant';
export * from './logins/logins';
export { explainRefusalOf, rulesGuard, type Rule, type RulesGuardOf } from './shared/guarded-machine';
export * from './streams';
export { foldWith, type Decider } from './shared/decider';
export { actorOfEvent, timeOfEvent, type CatalogueEntry, type CatalogueOf, type ReplayBase } from './shared/catalogue-entry';
