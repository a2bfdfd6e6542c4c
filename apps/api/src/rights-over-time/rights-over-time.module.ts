/** Issue 8: changes (Mainīt) and terminations, the login intake, and the expiry/supersede/notices process. */
import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '../config/configuration';
import { ChangesController } from './changes.controller';
import { PortalLoginsController } from './portal-logins.controller';
import { RightsOverTimeSources } from './sources';
import { expiryIntervalSeconds, RIGHTS_OVER_TIME_CONFIG, RightsOverTimeHost, type RightsOverTimeConfig, type RightsOverTimeExtras } from './rights-over-time.host';

@Module({})
export class RightsOverTimeModule {
  static forRoot(app: AppConfig, extra: RightsOverTimeExtras = {}): DynamicModule {
    const config: RightsOverTimeConfig = { app, intervalSeconds: expiryIntervalSeconds(app.env), ...extra };
    return {
      module: RightsOverTimeModule,
      controllers: [PortalLoginsController, ChangesController],
      providers: [{ provide: RIGHTS_OVER_TIME_CONFIG, useValue: config }, RightsOverTimeHost, RightsOverTimeSources],
    };
  }
}
