export * from './commands';
export * from './events';
export * from './catalogue';
export * from './state';
export { evolve, foldApplication } from './evolve';
export { decide } from './decide';
export { applicationMachine, explainRefusal, resolveApplicationSnapshot, FINAL_STATUSES } from './machine';
export type { ApplicationMachine, RulesGuard } from './machine';
export { TRANSITION_RULES } from './rules/transition-rules';
export type { TransitionRule, TransitionRuleName } from './rules/transition-rules';
export * from './rules/rights';
export * from './rules/term';
export {
  APPLICATION_KINDS,
  TEXT_LIMITS,
  validateUser,
  type ApplicationKind,
  type ApplicationUser,
} from './rules/content';
export {
  LIFECYCLE_MARKERS,
  TRANSITIONS_MARKERS,
  listTransitions,
  readBetweenMarkers,
  renderLifecycleDiagram,
  renderLifecycleDocument,
  renderTransitionTable,
  replaceBetweenMarkers,
  type LifecycleTransition,
} from './diagram';
