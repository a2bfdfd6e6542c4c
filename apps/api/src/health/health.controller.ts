import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Responds } from '../docs/contract';

@ApiTags('health')
@Controller()
export class HealthController {
  /** Liveness: the process answers. Readiness (the store) is `/ready`. */
  @Get('health')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @Responds(200, 'Health')
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
