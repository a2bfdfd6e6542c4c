import { Controller, Get } from '@nestjs/common';

@Controller()
export class HealthController {
  /** Liveness: the process answers. Readiness (the store) is `/ready`. */
  @Get('health')
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
