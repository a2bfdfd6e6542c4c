import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { mergeTrustHistories, TrustArchive, trustHistoryOf, type TrustHistory } from '@atlauja/audit';
import type { EventStore } from '@atlauja/event-store';
import { SignatureVerifier } from '../applications/signature-verifier';
import type { AppConfig } from '../config/configuration';
import { EVENT_STORE } from '../store/tokens';

export const AUDIT_CONFIG = Symbol('AUDIT_CONFIG');

/**
 * What the audit reads: the event store and the trust material of the application module, and
 * the archive of every anchor, CRL and trusted list the service has loaded (so a signature accepted under a
 * CRL since replaced can still be re-verified as of its day).
 */
@Injectable()
export class AuditSources implements OnApplicationBootstrap {
  readonly archive: TrustArchive;

  constructor(
    @Inject(EVENT_STORE) readonly store: EventStore,
    private readonly verifier: SignatureVerifier,
    @Inject(AUDIT_CONFIG) config: AppConfig,
  ) {
    this.archive = new TrustArchive(config.crlArchiveDir);
  }

  /** Every start archives what it loaded: the CRLs in force today are the evidence of tomorrow's audit. */
  onApplicationBootstrap(): void {
    this.verifier.onTrustLoaded((trust) => this.archive.keep(trust.anchors, trust.crls, (trust.trustedLists ?? []).map((list) => list.xml)));
  }

  /** The anchors and CRLs in force and every one archived, by hash. */
  trust(): TrustHistory {
    const current = this.verifier.trust(new Date());
    return mergeTrustHistories(trustHistoryOf(current.anchors, current.crls, (current.trustedLists ?? []).map((list) => list.xml)), this.archive.load());
  }
}
