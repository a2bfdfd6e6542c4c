import { Controller, Get, Header, Inject, NotFoundException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Metrics } from '@atlauja/observability';
import { APP_CONFIG } from '../app-config.token';
import type { AppConfig } from '../config/configuration';
import { METRICS } from './tokens';

/** Prometheus text format, for the scraper on the internal network (the compose proxy does not pass it on). */
@ApiExcludeController()
@Controller()
export class MetricsController {
  constructor(@Inject(METRICS) private readonly metrics: Metrics, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('cache-control', 'no-store')
  async scrape(): Promise<string> {
    if (!this.config.metrics) throw new NotFoundException();
    return this.metrics.scrape();
  }
}
