export * from './commands';
export * from './events';
export * from './catalogue';
export * from './state';
export { evolveGrant, foldGrant } from './evolve';
export { decideGrant } from './decide';
export { grantMachine, explainGrantRefusal } from './machine';
export { GRANT_RULES, type GrantRuleName } from './rules/transition-rules';
