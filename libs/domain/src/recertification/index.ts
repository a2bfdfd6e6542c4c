export * from './commands';
export * from './events';
export * from './catalogue';
export * from './state';
export { evolveRecertification, foldRecertification } from './evolve';
export { decideRecertification } from './decide';
export { recertificationMachine, explainRecertificationRefusal } from './machine';
export { RECERTIFICATION_RULES, type RecertificationRuleName } from './rules/transition-rules';
