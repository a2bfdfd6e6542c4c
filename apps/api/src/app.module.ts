import { DynamicModule, Global, Inject, Module, OnApplicationShutdown, Provider } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TerminusModule } from '@nestjs/terminus';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { join } from 'node:path';
import { LocalTokenIssuer, OidcTokenVerifier, TokenVerifier } from '@atlauja/auth';
import { Pseudonyms } from '@atlauja/commands';
import { createEventStore, EventStore, OpeningEventStore, readModelConnection, SqlDriver } from '@atlauja/event-store';
import { instrumentStore, type Metrics, type Tracing } from '@atlauja/observability';
import { APP_CONFIG } from './app-config.token';
import { ApplicationStream } from './applications/application-stream';
import { GetApplicationEventsHandler, GetApplicationHandler, GetDocumentToSignHandler } from './applications/application-queries';
import { ApplicationsController } from './applications/applications.controller';
import { SignatureVerifier, TRUST_MATERIAL, TrustMaterial, TrustSource } from './applications/signature-verifier';
import { InProcessTsa, signaturePolicyOf } from './applications/signature-policy';
import { AuditModule } from './audit/audit.module';
import { BearerGuard, TOKEN_VERIFIER } from './auth/bearer.guard';
import { ApiReactionPorts } from './commands/reaction-ports';
import { CommandRunner } from './commands/run-command';
import { AppConfig } from './config/configuration';
import { EServiceController } from './e-service/e-service.controller';
import { HealthController } from './health/health.controller';
import { ReadyController } from './health/ready.controller';
import { Startup } from './health/startup';
import { ProblemsController } from './problems/problems.controller';
import { DEMO_INSTITUTIONS, INSTITUTION_DIRECTORY, RegistryInstitutionDirectory, StaticInstitutionDirectory } from './institutions/institution-directory';
import { InstitutionsModule } from './institutions/institutions.module';
import { RegistryGate } from './institutions/registry-gate';
import { ReadAccess } from './auth/read-access';
import { RegistryWrites } from './institutions/registry-writes';
import { CommandTracingInterceptor } from './observability/command-tracing.interceptor';
import { MetricsController } from './observability/metrics.controller';
import { METRICS, TRACING } from './observability/tokens';
import { PROCESSES_EXTRAS, ProcessesHost, type ProcessesExtras } from './processes/processes.host';
import { READ_MODELS_CONFIG, ReadModelsHost } from './read-models/read-models.host';
import { ReadModelsModule } from './read-models/read-models.module';
import { RightsOverTimeModule } from './rights-over-time/rights-over-time.module';
import { SessionModule } from './session/session.module';
import { Clock, CLOCK, EVENT_STORE, PSEUDONYMS, READ_MODEL_SQL, systemClock } from './store/tokens';
import { loadTrustMaterial } from './store/trust-material';
import { TrustController } from './trust/trust.controller';

export { APP_CONFIG };

/** What tests (and later the worker) may hand in instead of building from the configuration. */
export interface AppOverrides {
  eventStore?: EventStore;
  /**
   * main: the configured embedded store, opening while the modules load and the api starts to
   * listen. Unlike `eventStore` it is the installation's own store, built from the configuration
   * (the demo registry is seeded on it).
   */
  openingStore?: OpeningEventStore;
  clock?: Clock;
  /** Fixed material, or a source read again on every refresh and reload (tests of the reload). */
  trust?: TrustMaterial | TrustSource;
  /** Tests: a TSA inside the process completes B-level signatures (the policy stays SIGNATURE_POLICY's). */
  timestampAuthority?: InProcessTsa;
  tokenVerifier?: TokenVerifier;
  readModelSql?: SqlDriver;
  /** Tests: the notice delivery port, or a crash between an effect and its bookkeeping. */
  processes?: ProcessesExtras;
  /** Tests: spans go to this exporter (tracing on whatever TRACING says). */
  spanExporter?: SpanExporter;
}

/** Built by createApp before the modules: the Fastify hooks need them too. */
export interface Observability {
  metrics: Metrics;
  tracing: Tracing;
}


class StoreLifecycle implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore, @Inject(TRACING) private readonly tracing: Tracing) {}
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    await this.tracing.shutdown();
  }
}

/**
 * What every feature module needs, provided once and exported to all (global): configuration,
 * metrics and tracing, clock, the users' pseudonyms, event store, read-model database and its host,
 * token verifier, trust material and the signature verifier, the registry's gate and facts, the
 * reactions' ports, and the bearer guard. Feature modules inject these; none looks them up.
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig, overrides: AppOverrides, observability: Observability): DynamicModule {
    const providers: Provider[] = [
      { provide: APP_CONFIG, useValue: config },
      { provide: METRICS, useValue: observability.metrics },
      { provide: TRACING, useValue: observability.tracing },
      { provide: CLOCK, useValue: overrides.clock ?? systemClock },
      {
        provide: PSEUDONYMS,
        // The same key for every process of a deployment, for ever: the grant streams are named by it.
        useFactory: () => (config.pseudonymKey ? Pseudonyms.fromHex(config.pseudonymKey) : Pseudonyms.inDirectory(join(config.dataDir, 'auth'))),
      },
      {
        provide: EVENT_STORE,
        // Measured (and traced) at the port, whichever adapter is behind it.
        useFactory: async () =>
          instrumentStore(overrides.eventStore ?? overrides.openingStore ?? (await createEventStore(config.store)), {
            metrics: observability.metrics,
            tracer: observability.tracing.enabled ? observability.tracing.tracer : undefined,
          }),
      },
      {
        provide: TOKEN_VERIFIER,
        useFactory: async (): Promise<TokenVerifier> =>
          overrides.tokenVerifier ??
          (config.mode === 'server'
            ? new OidcTokenVerifier(config.oidc!.issuer, config.oidc!.audience, { jwksUri: config.oidc!.jwksUri, maxAgeSeconds: config.oidc!.maxAgeSeconds })
            : LocalTokenIssuer.open(config.dataDir)),
      },
      {
        provide: TRUST_MATERIAL,
        // Loaded once at start so a misconfigured folder stops the service at once, then refreshed.
        useFactory: (): TrustMaterial | TrustSource => {
          if (overrides.trust) return overrides.trust;
          loadTrustMaterial(config);
          return { load: (now: Date) => loadTrustMaterial(config, now), refreshMs: config.trustRefreshSeconds * 1000 };
        },
      },
      {
        provide: SignatureVerifier,
        useFactory: (trust: TrustMaterial | TrustSource, clock: Clock) =>
          new SignatureVerifier(trust, signaturePolicyOf(config, clock, { demoTrust: !overrides.trust && !config.trustedCaDir, tsa: overrides.timestampAuthority }), config.crlStalePolicy),
        inject: [TRUST_MATERIAL, CLOCK],
      },
      {
        provide: READ_MODEL_SQL,
        inject: [EVENT_STORE],
        // Null only with the in-memory store and no READ_DATABASE_URL (unit tests).
        useFactory: (store: EventStore): SqlDriver | null => overrides.readModelSql ?? readModelConnection(store, config.store, config.readDatabaseUrl)?.sql ?? null,
      },
      { provide: READ_MODELS_CONFIG, useValue: config },
      ReadModelsHost,
      RegistryWrites,
      RegistryGate,
      ApiReactionPorts,
      {
        provide: INSTITUTION_DIRECTORY,
        inject: [ReadModelsHost, RegistryWrites],
        useFactory: (readModels: ReadModelsHost, writes: RegistryWrites) => new RegistryInstitutionDirectory(readModels, writes, new StaticInstitutionDirectory(DEMO_INSTITUTIONS)),
      },
      BearerGuard,
      CommandTracingInterceptor,
      ReadAccess,
      Startup,
    ];
    return {
      module: CoreModule,
      providers,
      exports: [
        APP_CONFIG, METRICS, TRACING, CommandTracingInterceptor, CLOCK, PSEUDONYMS, EVENT_STORE, TOKEN_VERIFIER, TRUST_MATERIAL, SignatureVerifier, READ_MODEL_SQL,
        ReadModelsHost, RegistryWrites, RegistryGate, ApiReactionPorts, INSTITUTION_DIRECTORY, BearerGuard, ReadAccess, Startup,
      ],
    };
  }
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, overrides: AppOverrides, observability: Observability): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config, overrides, observability),
        TerminusModule.forRoot({ logger: false }),
        CqrsModule.forRoot(),
        AuditModule.forRoot(config),
        // The registry's endpoints; local mode on its own store starts with the demo institutions.
        InstitutionsModule.forRoot({ seedDemo: config.mode === 'local' && !overrides.eventStore }),
        ReadModelsModule,
        RightsOverTimeModule,
        SessionModule.forRoot(config),
      ],
      controllers: [HealthController, ReadyController, MetricsController, ProblemsController, ApplicationsController, EServiceController, TrustController],
      // The store closes here, in the root module's shutdown, after the processes and the projection runner have stopped.
      providers: [
        ApplicationStream,
        CommandRunner,
        GetApplicationHandler,
        GetApplicationEventsHandler,
        GetDocumentToSignHandler,
        { provide: PROCESSES_EXTRAS, useValue: overrides.processes ?? {} },
        ProcessesHost,
        StoreLifecycle,
      ],
    };
  }
}
