import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { EventStore } from '@atlauja/event-store';
import type { TokenVerifier } from '@atlauja/auth';
import { BearerGuard, TOKEN_VERIFIER } from '../auth/bearer.guard';
import { CLOCK, EVENT_STORE, type Clock } from '../store/tokens';

/** What the registry's streams and index read: the CLI hands in its own store. */
export interface StoreSource {
  readonly store: EventStore;
}

/**
 * The store and the clock are AppModule's providers, which an imported module cannot inject;
 * they are looked up by token when first used (ModuleRef, strict: false), as the audit module does.
 */
@Injectable()
export class RegistrySources implements StoreSource {
  constructor(private readonly modules: ModuleRef) {}

  get store(): EventStore {
    return this.modules.get<symbol, EventStore>(EVENT_STORE, { strict: false });
  }

  get clock(): Clock {
    return this.modules.get<symbol, Clock>(CLOCK, { strict: false });
  }
}

/** BearerGuard for this module's controllers; its verifier is AppModule's, looked up per request. */
@Injectable()
export class RegistryBearerGuard implements CanActivate {
  constructor(private readonly modules: ModuleRef) {}

  canActivate(context: ExecutionContext): Promise<boolean> {
    return new BearerGuard(this.modules.get<symbol, TokenVerifier>(TOKEN_VERIFIER, { strict: false })).canActivate(context);
  }
}
