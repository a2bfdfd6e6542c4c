/** @atlauja/commands: every command of every stream type, declared once, and the processes' reactions. */
export { runEntry, type CommandEntry, type EntryContext, type RunOptions } from './command-entry';
export type { HoldersPort, ReactionPorts, RegistryPorts } from './ports';
export { INSTITUTION_COMMANDS } from './registry/institution-entries';
export { CAMPAIGN_COMMANDS } from './registry/campaign-entries';
export { institutionState, resortHeadFact, statusOf } from './registry/institution-reads';
export { APPLICATION_PROCESS_COMMANDS } from './application/process-entries';
export { hasReaction, react, reactToOutcome, GRANT_FOLLOWER, RECERTIFICATION_ACTOR, RIGHTS_ENDING_ACTOR, type ReactionReport } from './reactions/reactions';
export { GRANT_COMMANDS } from './grants/grant-entries';
export { grantFactOf, grantStreamOf, replacedFactOf } from './grants/grant-reads';
export { Pseudonyms, PSEUDONYM_KEY_BYTES } from './grants/pseudonyms';
export { importInstitutionList, importReportLines, type ImportOptions, type ImportPorts, type ImportReport } from './registry/institution-import';
export { LOGIN_COMMANDS } from './logins/login-entries';
