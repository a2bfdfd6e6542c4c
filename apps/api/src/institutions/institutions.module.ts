import { DynamicModule, Module } from '@nestjs/common';
import { DemoRegistrySeed, REGISTRY_OPTIONS, type RegistryOptions } from './demo-registry';
import { InstitutionsController } from './institutions.controller';
import { RecertificationsController } from './recertifications.controller';

/** The institution registry and re-certification: their endpoints, and local mode's demo registry. */
@Module({})
export class InstitutionsModule {
  static forRoot(options: RegistryOptions): DynamicModule {
    return {
      module: InstitutionsModule,
      controllers: [InstitutionsController, RecertificationsController],
      providers: [{ provide: REGISTRY_OPTIONS, useValue: options }, DemoRegistrySeed],
    };
  }
}
