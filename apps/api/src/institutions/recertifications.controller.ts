import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { Principal } from '@atlauja/auth';
import type { Actor, RecertificationState } from '@atlauja/domain';
import { CurrentPrincipal } from '../auth/bearer.guard';
import { problem, ProblemError } from '../http/problem';
import { CampaignUserDto, OpenCampaignDto } from './dto';
import { campaignView } from './institution-views';
import { personOf, requireReader, requireRegistryRepresentative, requireRole } from './registry-access';
import { RegistryCommands } from './registry-commands';
import { DEADLINE_TIMER } from './registry-timers';
import { RegistryIndex } from './registry-index';
import { BearerGuard } from '../auth/bearer.guard';
import { RegistryStreams } from './registry-streams';

/** The timer's actor; until the worker runs timers, an administrator triggers it (see docs/institutions.md). */

/** Campaign ids are UUIDs (randomUUID): anything else is no campaign, and never reaches the store (a NUL would fail in SQL). */
const campaignId = new ParseUUIDPipe({ exceptionFactory: () => new ProblemError(problem(404, 'Campaign not found', { detail: 'campaign ids are UUIDs' })) });

/** Re-certification campaigns (aktualizācija, seed 000). */
@ApiTags('recertifications')
@ApiBearerAuth()
@UseGuards(BearerGuard)
@Controller('recertifications')
export class RecertificationsController {
  constructor(private readonly commands: RegistryCommands, private readonly index: RegistryIndex, private readonly streams: RegistryStreams) {}

  private async campaign(id: string): Promise<RecertificationState> {
    const loaded = await this.streams.loadCampaign(id);
    if (loaded.revision === 'no-stream') throw new ProblemError(problem(404, 'Campaign not found'));
    return loaded.state;
  }

  /** The representative acting on a campaign: token and registry both. */
  private async representative(id: string, principal: Principal): Promise<Actor> {
    const institution = (await this.campaign(id)).institution as string;
    await this.index.refresh();
    return requireRegistryRepresentative(principal, this.index.institution(institution), institution);
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Open a campaign for an institution: its current rights holders are to be confirmed by the deadline' })
  async open(@Body() body: OpenCampaignDto, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest) {
    const actor = personOf(principal, requireRole(principal, ['admin'], 'opening a re-certification'));
    await this.index.refresh();
    const open = this.index.openCampaign(body.institution);
    if (open) throw new ProblemError(problem(409, 'Campaign already open', { code: 'CAMPAIGN_ALREADY_OPEN', detail: `campaign ${open.campaignId} is open at ${body.institution} until ${open.deadline}` }));
    const institution = this.index.institution(body.institution);
    return this.commands.campaign(randomUUID(), actor, String(req.id), () => ({
      type: 'OpenRecertification',
      institution: body.institution,
      deadline: body.deadline,
      holders: this.index.holdersAt(body.institution),
      institutionStatus: institution?.status === undefined || institution.status === 'none' ? 'not registered' : institution.status,
    }), false);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A campaign with its progress' })
  async get(@Param('id', campaignId) id: string, @CurrentPrincipal() principal: Principal) {
    const loaded = await this.streams.loadCampaign(id);
    if (loaded.revision === 'no-stream') throw new ProblemError(problem(404, 'Campaign not found'));
    const role = requireReader(principal, loaded.state.institution ?? undefined);
    return campaignView(loaded.state, loaded.revision.toString(), role === 'admin' || role === 'representative');
  }

  @Post(':id/confirm')
  @HttpCode(200)
  async confirm(@Param('id', campaignId) id: string, @Body() body: CampaignUserDto, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest) {
    return this.commands.campaign(id, await this.representative(id, principal), String(req.id), () => ({ type: 'ConfirmUser', personalCode: body.personalCode }));
  }

  @Post(':id/drop')
  @HttpCode(200)
  async drop(@Param('id', campaignId) id: string, @Body() body: CampaignUserDto, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest) {
    return this.commands.campaign(id, await this.representative(id, principal), String(req.id), () => ({
      type: 'DropUser',
      personalCode: body.personalCode,
      ...(body.reason !== undefined && { reason: body.reason }),
    }));
  }

  @Post(':id/complete')
  @HttpCode(200)
  @ApiOperation({ summary: 'Complete: the unconfirmed users lose their rights at once; the lockout ends' })
  async complete(@Param('id', campaignId) id: string, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest) {
    return this.commands.campaign(id, await this.representative(id, principal), String(req.id), () => ({ type: 'CompleteRecertification' }));
  }

  @Post(':id/close-at-deadline')
  @HttpCode(200)
  @ApiOperation({ summary: "The deadline timer's step, triggered by an administrator until the worker runs it: refused before the deadline" })
  async closeAtDeadline(@Param('id', campaignId) id: string, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest) {
    requireRole(principal, ['admin'], 'closing a campaign at its deadline');
    return this.commands.campaign(id, DEADLINE_TIMER, String(req.id), () => ({ type: 'CloseRecertificationAtDeadline' }));
  }

  @Post(':id/finish')
  @HttpCode(200)
  @ApiOperation({ summary: "End any right the campaign's outcome names that is still in force (a rerun after an interruption)" })
  async finish(@Param('id', campaignId) id: string, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest) {
    requireRole(principal, ['admin'], 'carrying out a campaign');
    return { campaignId: id, rightsEnded: await this.commands.finishCampaign(id, String(req.id)) };
  }
}
