/** The read models of this service, in the order the runner applies them. */
import { approvalQueue } from './approval-queue/approval-queue.projection';
import { auditLog } from './audit-log/audit-log.projection';
import { institutionApplications } from './institution-applications/institution-applications.projection';
import type { Projection } from './projection';
import { registry } from './registry/registry.projection';
import { rightsRegister } from './rights-register/rights-register.projection';
// Issue 8: the rights-over-time process (due work, last logins, notices outbox), last so it reads what the others already show.
import { rightsOverTime } from './rights-over-time/rights-over-time.projection';

export const READ_MODELS: readonly Projection[] = [registry, approvalQueue, institutionApplications, rightsRegister, auditLog, rightsOverTime];

export const READ_MODEL_NAMES = READ_MODELS.map((p) => p.name);

/** The named ones (all when none is named); throws naming the unknown ones. */
export function readModelsNamed(names: readonly string[]): Projection[] {
  if (names.length === 0) return [...READ_MODELS];
  const unknown = names.filter((n) => !READ_MODEL_NAMES.includes(n));
  if (unknown.length > 0) throw new TypeError(`unknown read model ${unknown.join(', ')}; known: ${READ_MODEL_NAMES.join(', ')}`);
  return READ_MODELS.filter((p) => names.includes(p.name));
}
