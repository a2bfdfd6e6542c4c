/**
 * What this module's controllers need from AppModule (the store, the clock, the token verifier),
 * looked up once the application is built (ModuleRef, strict: false), as the read-models and
 * registry modules do: AppModule's providers are not exported to imported modules.
 */
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { TokenVerifier } from '@atlauja/auth';
import type { EventStore } from '@atlauja/event-store';
import { ApplicationStream } from '../applications/application-stream';
import { BearerGuard, TOKEN_VERIFIER } from '../auth/bearer.guard';
import { CLOCK, EVENT_STORE, type Clock } from '../store/tokens';

@Injectable()
export class RightsOverTimeSources {
  constructor(private readonly moduleRef: ModuleRef) {}

  get store(): EventStore {
    return this.moduleRef.get<EventStore>(EVENT_STORE, { strict: false });
  }

  get clock(): Clock {
    return this.moduleRef.get<Clock>(CLOCK, { strict: false });
  }

  get applications(): ApplicationStream {
    return new ApplicationStream(this.store);
  }
}

@Injectable()
export class RightsOverTimeBearerGuard implements CanActivate {
  private bearer: BearerGuard | null = null;

  constructor(private readonly moduleRef: ModuleRef) {}

  canActivate(context: ExecutionContext): Promise<boolean> {
    this.bearer ??= new BearerGuard(this.moduleRef.get<TokenVerifier>(TOKEN_VERIFIER, { strict: false }));
    return this.bearer.canActivate(context);
  }
}
