import { DynamicModule, Module } from '@nestjs/common';
import { ApplicationStream } from '../applications/application-stream';
import type { AppConfig } from '../config/configuration';
import { ApplicationActionsController } from './application-actions.controller';
import { SESSION_CONFIG, loadSessionConfig } from './session-config';
import { SessionController } from './session.controller';

/** The portal's sign-in (demo people or OIDC), its cookie session, and what the portal asks beside the API's resources. */
@Module({})
export class SessionModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: SessionModule,
      controllers: [SessionController, ApplicationActionsController],
      providers: [{ provide: SESSION_CONFIG, useValue: loadSessionConfig(config) }, ApplicationStream],
    };
  }
}
