import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '../config/configuration';
import { AuditController } from './audit.controller';
import { BundleDownloadController } from './bundle-download.controller';
import { AuditQueries } from './audit-queries';
import { AUDIT_CONFIG, AuditSources } from './audit-sources';

/** The auditor's API: read-only, from the event store, everything unmasked for the auditor role only. */
@Module({})
export class AuditModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AuditModule,
      controllers: [AuditController, BundleDownloadController],
      providers: [{ provide: AUDIT_CONFIG, useValue: config }, AuditSources, AuditQueries],
    };
  }
}
