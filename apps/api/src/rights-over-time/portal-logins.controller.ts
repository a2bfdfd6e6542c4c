import { Body, Controller, HttpCode, Inject, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { authorize, Principal } from '@atlauja/auth';
import { tryNormalizePersonalCode } from '@atlauja/domain';
import { loginStream, rigaDateOf, USER_AUTHENTICATED, USER_AUTHENTICATED_SCHEMA_VERSION, type UserAuthenticatedData } from '@atlauja/projections';
import { CurrentPrincipal, ForServiceCredentials } from '../auth/bearer.guard';
import { problem, ProblemError } from '../http/problem';
import { rigaInstant } from '../store/riga-time';
import { PortalLoginDto } from './dto';
import { BearerGuard } from '../auth/bearer.guard';
import type { EventStore } from '@atlauja/event-store';
import { CLOCK, EVENT_STORE, type Clock } from '../store/tokens';

/** A portal clock a little ahead of ours is tolerated; a login far in the future is not a login. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The login intake: the e-service's portal (a service credential) reports that a user
 * authenticated; the sliding term "18 months after the last login" moves with it. Recorded as an
 * event in the day's login stream; the process projection keeps each user's last login.
 */
@ApiTags('rights over time')
@ApiBearerAuth()
@UseGuards(BearerGuard)
@Controller('portal')
export class PortalLoginsController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore, @Inject(CLOCK) private readonly clock: Clock) {}

  @Post('logins')
  @ForServiceCredentials()
  @HttpCode(202)
  @ApiOperation({ summary: 'Record a user\'s login in the portal (service credential only)' })
  async record(@Body() body: PortalLoginDto, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest) {
    authorize(principal, 'portal.login');
    const personalCode = tryNormalizePersonalCode(body.personalCode);
    // The detail never repeats the code.
    if (!personalCode) throw new ProblemError(problem(422, 'Invalid personal code', { code: 'PERSONAL_CODE_INVALID', detail: 'personalCode is not a valid personal code' }));
    const now = this.clock.now();
    const authenticated = body.authenticatedAt === undefined ? now : new Date(body.authenticatedAt);
    if (Number.isNaN(authenticated.getTime()) || authenticated.getTime() > now.getTime() + CLOCK_SKEW_MS) {
      throw new ProblemError(problem(422, 'Login time refused', { code: 'AUTHENTICATED_AT_INVALID', detail: 'authenticatedAt must be an instant with an offset, not in the future' }));
    }
    const data: UserAuthenticatedData = { personalCode, authenticatedAt: rigaInstant(authenticated), reportedBy: principal.service! };
    const result = await this.store.append(
      loginStream(rigaDateOf(authenticated)),
      [{ type: USER_AUTHENTICATED, data: { ...data }, metadata: { actor: `service:${principal.service}`, correlationId: String(req.id), occurredAt: rigaInstant(now), schemaVersion: USER_AUTHENTICATED_SCHEMA_VERSION } }],
      'any',
    );
    return { recorded: true, position: result.position.toString() };
  }
}
