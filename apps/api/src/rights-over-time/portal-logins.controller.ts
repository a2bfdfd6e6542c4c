import { Body, Controller, HttpCode, Inject, Post, Req, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { LOGIN_COMMANDS } from '@atlauja/commands';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Refuses, Responds } from '../docs/contract';
import type { FastifyRequest } from 'fastify';
import { authorize, Principal } from '@atlauja/auth';
import { tryNormalizePersonalCode } from '@atlauja/domain';
import { readLockedEmployers, rigaDateOf } from '@atlauja/projections';
import { RunCommand, type RunResult } from '../commands/run-command';
import { ReadModelsHost } from '../read-models/read-models.host';
import { CurrentPrincipal, ForServiceCredentials } from '../auth/bearer.guard';
import { problem, ProblemError } from '../http/problem';
import { rigaInstant } from '../store/riga-time';
import { PortalLoginDto } from './dto';
import { BearerGuard } from '../auth/bearer.guard';
import { CLOCK, type Clock } from '../store/tokens';

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
  constructor(
    private readonly commands: CommandBus,
    private readonly readModels: ReadModelsHost,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('logins')
  @ForServiceCredentials()
  @HttpCode(202)
  @ApiOperation({ summary: "Record a user's login in the portal (service credential only); refused (423) while a campaign locks the user's institution" })
  @Responds(202, 'LoginRecorded')
  @Refuses(422, 423)
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
    // Seed 000: while a campaign re-certifies an institution, its users are locked out, and a refused login moves no term.
    if (this.readModels.available) {
      const locked = await readLockedEmployers(this.readModels.sql, this.readModels.schema, personalCode);
      if (locked.length > 0) {
        throw new ProblemError(problem(423, 'Locked for re-certification', {
          code: 'USER_LOCKED_FOR_RECERTIFICATION',
          detail: `the user's institution ${locked.map((l) => `${l.institution} (campaign ${l.campaignId}, until ${l.deadline})`).join(', ')} is being re-certified; its users are locked out until it is over`,
        }));
      }
    }
    const outcome = await this.commands.execute<RunCommand, RunResult>(
      new RunCommand(LOGIN_COMMANDS.record, rigaDateOf(authenticated), { personalCode, authenticatedAt: rigaInstant(authenticated) }, principal, { correlationId: String(req.id) }),
    );
    return { recorded: true, position: String(outcome.position) };
  }
}
