/** The read models: the runner in local mode, and the query endpoints over the four read models. */
import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '../config/configuration';
import { ApprovalQueueController } from './approval-queue.controller';
import { AuditLogController } from './audit-log.controller';
import { InstitutionApplicationsController } from './institution-applications.controller';
import { READ_MODELS_CONFIG, ReadModelsHost } from './read-models.host';
import { ReadModelsStatusController } from './read-models-status.controller';
import { RightsRegisterController } from './rights-register.controller';

@Module({})
export class ReadModelsModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ReadModelsModule,
      controllers: [ApprovalQueueController, InstitutionApplicationsController, RightsRegisterController, AuditLogController, ReadModelsStatusController],
      providers: [{ provide: READ_MODELS_CONFIG, useValue: config }, ReadModelsHost],
      // /ready asks whether the read models have caught up since the start.
      exports: [ReadModelsHost],
    };
  }
}
