/** @atlauja/projections: the projection runner, the read models' SQL (DDL, apply, queries) and rebuild. */
export type { Projection } from './projection';
export { DEFAULT_READ_MODEL_SCHEMA, rebuildSchemaOf } from './sql-names';
export { ensureReadModels, readCheckpoints, resumeProjection, type Checkpoint, type CheckpointState } from './checkpoints';
export {
  ProjectionRunner,
  type ProjectionProgress,
  type ProjectionRunnerOptions,
  type ProjectionState,
  type ProjectionStatus,
  type RunnerLogger,
  type WaitOutcome,
} from './runner/projection-runner';
export { StoredProgress } from './stored-progress';
export { rebuildReadModels, RebuildFailed, type RebuildOptions, type RebuildProgress, type RebuildResult } from './rebuild/rebuild';
export { READ_MODELS, READ_MODEL_NAMES, readModelsNamed } from './read-models';
export { InvalidCursor, type Page } from './cursor';
export { maskActor, foldForSearch } from './personal-data';
export { approvalQueue } from './approval-queue/approval-queue.projection';
export { readApprovalQueue, type ApprovalQueueFilter, type ApprovalQueueItem } from './approval-queue/approval-queue.query';
export { institutionApplications } from './institution-applications/institution-applications.projection';
export {
  readInstitutionApplications,
  readUndecidedAt,
  type InstitutionApplicationItem,
  type InstitutionApplicationsFilter,
} from './institution-applications/institution-applications.query';
export { rightsRegister } from './rights-register/rights-register.projection';
export { readHoldersAt, readUserRights, type UserRightItem, type UserRightsFilter } from './rights-register/rights-register.query';
export { auditLog, institutionNamedBy } from './audit-log/audit-log.projection';
export { readAuditLog, type AuditLogFilter, type AuditLogItem } from './audit-log/audit-log.query';
// Issue 8: rights over time (changes supersede, expiry, logins, notices).
export * from './rights-over-time';
export { rigaDateOf, rigaInstantOf, rigaMidnight } from './rights-over-time/riga-calendar';
export { registry } from './registry/registry.projection';
export {
  readCampaignsPastDeadline,
  readInstitutionFacts,
  readInstitutionsDueForDeletion,
  readLockedEmployers,
  readOpenCampaigns,
  readRegistryInstitutions,
  registryHoldsInstitutions,
} from './registry/registry.query';
export { backoffDelay, DEFAULT_BACKOFF, sleep, type Backoff } from './runner/backoff';
export { BatchPacer, DEFAULT_PACE, type PaceOptions } from './runner/batch-pacer';
export { answerAuthorization, type AuthorizationAnswer, type AuthorizationQuestion, type AuthorizationReason } from './rights-register/authorization.query';
