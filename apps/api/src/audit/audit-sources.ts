import { CanActivate, ExecutionContext, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { join } from 'node:path';
import { mergeTrustHistories, TrustArchive, trustHistoryOf, type TrustHistory } from '@atlauja/audit';
import type { EventStore } from '@atlauja/event-store';
import type { TokenVerifier } from '@atlauja/auth';
import { BearerGuard, TOKEN_VERIFIER } from '../auth/bearer.guard';
import { SignatureVerifier } from '../applications/signature-verifier';
import type { AppConfig } from '../config/configuration';
import { EVENT_STORE } from '../store/tokens';

export const AUDIT_CONFIG = Symbol('AUDIT_CONFIG');

/**
 * What the audit reads: the event store and the trust material of the application module, and
 * the archive of every anchor and CRL the service has loaded (so a signature accepted under a
 * CRL since replaced can still be re-verified as of its day).
 *
 * The store and trust material are AppModule's providers, which an imported module cannot
 * inject; they are looked up by token once the application is built (ModuleRef, strict: false).
 */
@Injectable()
export class AuditSources implements OnApplicationBootstrap {
  readonly archive: TrustArchive;

  constructor(private readonly modules: ModuleRef, @Inject(AUDIT_CONFIG) config: AppConfig) {
    this.archive = new TrustArchive(config.env.CRL_ARCHIVE_DIR || join(config.dataDir, 'trust-archive'));
  }

  /** Every start archives what it loaded: the CRLs in force today are the evidence of tomorrow's audit. */
  onApplicationBootstrap(): void {
    this.verifier().onTrustLoaded((trust) => this.archive.keep(trust.anchors, trust.crls));
  }

  get store(): EventStore {
    return this.modules.get<symbol, EventStore>(EVENT_STORE, { strict: false });
  }

  /** The anchors and CRLs in force and every one archived, by hash. */
  trust(): TrustHistory {
    const current = this.verifier().trust(new Date());
    return mergeTrustHistories(trustHistoryOf(current.anchors, current.crls), this.archive.load());
  }

  private verifier(): SignatureVerifier {
    return this.modules.get(SignatureVerifier, { strict: false });
  }
}

/**
 * BearerGuard for this module's controller. Its verifier (TOKEN_VERIFIER) is AppModule's, out of
 * this module's reach when guards are built: it is looked up per request and BearerGuard does the rest.
 */
@Injectable()
export class AuditBearerGuard implements CanActivate {
  constructor(private readonly modules: ModuleRef) {}

  canActivate(context: ExecutionContext): Promise<boolean> {
    return new BearerGuard(this.modules.get<symbol, TokenVerifier>(TOKEN_VERIFIER, { strict: false })).canActivate(context);
  }
}
