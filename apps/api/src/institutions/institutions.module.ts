import { DynamicModule, Module } from '@nestjs/common';
import { APPLICATION_GATE, RegistryApplicationGate } from './application-gate';
import { DemoRegistrySeed, REGISTRY_OPTIONS, type RegistryOptions } from './demo-registry';
import { RegistryTimers } from './registry-timers';
import { DEMO_INSTITUTIONS, INSTITUTION_DIRECTORY, RegistryInstitutionDirectory, StaticInstitutionDirectory } from './institution-directory';
import { InstitutionsController } from './institutions.controller';
import { RecertificationsController } from './recertifications.controller';
import { RegistryCommands } from './registry-commands';
import { RegistryIndex } from './registry-index';
import { RegistrySources } from './registry-sources';
import { RegistryStreams } from './registry-streams';
import { RightsEnding } from './rights-ending';

/**
 * The institution registry and re-certification (issue 9). Exports what the application pipeline
 * reads: INSTITUTION_DIRECTORY (the registry's facts, the demo list until the registry has any)
 * and APPLICATION_GATE (registry authority, the lockout, active institutions).
 */
@Module({})
export class InstitutionsModule {
  static forRoot(options: RegistryOptions): DynamicModule {
    return {
      module: InstitutionsModule,
      controllers: [InstitutionsController, RecertificationsController],
      providers: [
        { provide: REGISTRY_OPTIONS, useValue: options },
        RegistrySources,
        RegistryStreams,
        RegistryIndex,
        RightsEnding,
        RegistryCommands,
        RegistryTimers,
        DemoRegistrySeed,
        {
          provide: INSTITUTION_DIRECTORY,
          inject: [RegistryIndex],
          useFactory: (index: RegistryIndex) => new RegistryInstitutionDirectory(index, new StaticInstitutionDirectory(DEMO_INSTITUTIONS)),
        },
        { provide: APPLICATION_GATE, useClass: RegistryApplicationGate },
      ],
      exports: [INSTITUTION_DIRECTORY, APPLICATION_GATE],
    };
  }
}
