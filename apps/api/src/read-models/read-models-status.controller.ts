import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Responds } from '../docs/contract';
import { authorize, type Principal } from '@atlauja/auth';
import { CurrentPrincipal } from '../auth/bearer.guard';
import { BearerGuard } from '../auth/bearer.guard';
import { ReadModelsHost } from './read-models.host';

/** Each read model's checkpoint, lag and state (a failed one with its position and error). */
@ApiTags('read models')
@ApiBearerAuth()
@Controller('read-models')
@UseGuards(BearerGuard)
export class ReadModelsStatusController {
  constructor(private readonly readModels: ReadModelsHost) {}

  @Get('status')
  @ApiOperation({ summary: "Each read model's checkpoint, lag and state" })
  @Responds(200, 'ProjectionsStatus')
  async status(@CurrentPrincipal() principal: Principal) {
    authorize(principal, 'audit.read');
    return { projections: await this.readModels.progress.status() };
  }
}
