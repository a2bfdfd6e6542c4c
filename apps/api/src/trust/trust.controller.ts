import { Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { authorize, Principal } from '@atlauja/auth';
import { SignatureVerifier, TrustMaterial } from '../applications/signature-verifier';
import { BearerGuard, CurrentPrincipal } from '../auth/bearer.guard';
import { problem, ProblemError } from '../http/problem';
import { CLOCK, type Clock } from '../store/tokens';
import { TrustReloadedDto } from './dto';

/**
 * The trust in force (TRUSTED_CA_DIR, CRL_DIR), read again on an administrator's word: a CRL put
 * in the folder counts from the next verification, without waiting for TRUST_REFRESH_SECONDS. Each
 * replica reads its own folders: call it on every replica (or wait for the periodic reload there).
 */
@ApiTags('administration')
@ApiBearerAuth()
@UseGuards(BearerGuard)
@Controller('admin/trust')
export class TrustController {
  constructor(
    private readonly verifier: SignatureVerifier,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('reload')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Uzticamības sarakstu pārlasīšana tagad / Reload trust now: the anchors of TRUSTED_CA_DIR and the CRLs of CRL_DIR, so a revocation counts at once',
  })
  @ApiOkResponse({ type: TrustReloadedDto, description: 'what is now in force' })
  // 403 ROLE_REQUIRED (administrators only) and 503 TRUST_RELOAD_FAILED (the folders could not be
  // read; the trust in force before stays) are the one Problem schema every bearer route documents.
  reload(@CurrentPrincipal() principal: Principal): TrustReloadedDto {
    authorize(principal, 'trust.reload');
    const now = this.clock.now();
    let material: TrustMaterial;
    try {
      material = this.verifier.reload(now);
    } catch (error) {
      throw new ProblemError(
        problem(503, 'Trust reload failed', {
          code: 'TRUST_RELOAD_FAILED',
          detail: `Uzticamību neizdevās pārlasīt; spēkā paliek iepriekšējā. / The trust folders could not be read; the trust in force before stays: ${(error as Error).message}`,
        }),
      );
    }
    return {
      reloadedAt: now.toISOString(),
      anchors: material.anchors.map((anchor) => ({ subject: anchor.subject, sha256: anchor.sha256 })),
      crls: material.crls.map((crl) => ({
        issuer: crl.issuer.text,
        ...(crl.number !== undefined && { number: crl.number }),
        thisUpdate: crl.thisUpdate.toISOString(),
        ...(crl.nextUpdate && { nextUpdate: crl.nextUpdate.toISOString() }),
        sha256: crl.sha256,
      })),
    };
  }
}
