/** Changes (Mainīt) and terminations, and the login intake; the process itself runs with the worker's loops. */
import { Module } from '@nestjs/common';
import { ChangesController } from './changes.controller';
import { PortalLoginsController } from './portal-logins.controller';

@Module({ controllers: [PortalLoginsController, ChangesController] })
export class RightsOverTimeModule {}
