import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Responds } from '../docs/contract';
import { HealthCheckService, HealthIndicatorService, type HealthCheckResult, type HealthIndicatorResult } from '@nestjs/terminus';
import { OidcTokenVerifier, type TokenVerifier } from '@atlauja/auth';
import type { EventStore, SqlDriver } from '@atlauja/event-store';
import { NotReady, projectionLag, projectionsHealthy, readModelDatabaseAnswers, storeAnswers, type ReadinessCheck } from '@atlauja/observability';
import { TOKEN_VERIFIER } from '../auth/bearer.guard';
import { APP_CONFIG } from '../app-config.token';
import type { AppConfig } from '../config/configuration';
import { problem, ProblemError } from '../http/problem';
import { ReadModelsHost } from '../read-models/read-models.host';
import { EVENT_STORE, READ_MODEL_SQL } from '../store/tokens';

/**
 * Readiness, for a load balancer or an orchestrator: the store answers, the read-model database
 * answers, the token keys are at hand (server mode: the JWKS cached and fresh, or reachable) and the
 * projections are healthy (none failed, lag within READY_MAX_LAG_EVENTS / READY_MAX_LAG_SECONDS).
 * 200 with each check's details, else 503 problem+json with Retry-After naming what is down.
 */
@ApiTags('health')
@Controller()
export class ReadyController {
  private readonly checks: Record<string, ReadinessCheck>;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    moduleRef: ModuleRef,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(READ_MODEL_SQL) sql: SqlDriver | null,
    @Inject(TOKEN_VERIFIER) verifier: TokenVerifier,
  ) {
    const readModels = (): ReadModelsHost => moduleRef.get(ReadModelsHost, { strict: false });
    this.checks = {
      store: storeAnswers(store),
      readModels: readModelDatabaseAnswers(() => sql),
      tokenKeys: async () => (verifier instanceof OidcTokenVerifier ? { ...(await verifier.keysReady()) } : { issuer: 'local' }),
      projections: projectionsHealthy(() => readModels().progress, config.readiness, projectionLag(() => readModels().progress, store)),
    };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: the store, the read-model database, the token keys and the projections; 503 with Retry-After naming what is down' })
  @Responds(200, 'Readiness')
  async ready(): Promise<HealthCheckResult> {
    try {
      return await this.health.check(Object.entries(this.checks).map(([name, check]) => () => this.indicate(name, check)));
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const result = error.getResponse() as HealthCheckResult;
      const down = Object.entries(result.error ?? {}).map(([name, d]) => `${name}: ${String((d as { message?: string }).message ?? 'down')}`);
      throw new ProblemError(problem(503, 'Not ready', { code: 'NOT_READY', detail: down.join('; '), checks: result.details }), { 'retry-after': '5' });
    }
  }

  private async indicate(name: string, check: ReadinessCheck): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(name);
    try {
      return session.up(await check());
    } catch (error) {
      return session.down({ message: error instanceof Error ? error.message : String(error), ...(error instanceof NotReady ? error.details : {}) });
    }
  }
}
