/** The query endpoints over the read models (the runner itself is the core's ReadModelsHost). */
import { Module } from '@nestjs/common';
import { ApprovalQueueController } from './approval-queue.controller';
import { AuditLogController } from './audit-log.controller';
import { InstitutionApplicationsController } from './institution-applications.controller';
import { ReadModelsStatusController } from './read-models-status.controller';
import { RightsRegisterController } from './rights-register.controller';

@Module({
  controllers: [ApprovalQueueController, InstitutionApplicationsController, RightsRegisterController, AuditLogController, ReadModelsStatusController],
})
export class ReadModelsModule {}
