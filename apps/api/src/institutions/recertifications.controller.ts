import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RegistryCommand, Refuses, Responds } from '../docs/contract';
import { etagOf, notModified } from '../http/etag';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { authorize, Principal, seesPersonalCode } from '@atlauja/auth';
import { ReadAccess } from '../auth/read-access';
import { loadStream, uuidFrom } from '@atlauja/command-handler';
import { CAMPAIGN_COMMANDS, INSTITUTION_COMMANDS, react } from '@atlauja/commands';
import { closeCampaignAtDeadline } from '@atlauja/processes';
import { RECERTIFICATION_STREAM, recertificationStream } from '@atlauja/domain';
import type { EventStore } from '@atlauja/event-store';
import { BearerGuard, CurrentPrincipal } from '../auth/bearer.guard';
import { idempotencyOf } from '../commands/http-idempotency';
import { ApiReactionPorts } from '../commands/reaction-ports';
import { RunCommand, type AnyEntry, type RunResult } from '../commands/run-command';
import { problem, ProblemError } from '../http/problem';
import { EVENT_STORE } from '../store/tokens';
import { CampaignUserDto, OpenCampaignDto } from './dto';
import { campaignView, registryReply } from './institution-views';

/** Campaign ids are UUIDs: anything else is no campaign, and never reaches the store. */
const campaignId = new ParseUUIDPipe({ exceptionFactory: () => new ProblemError(problem(404, 'Campaign not found', { detail: 'campaign ids are UUIDs' })) });

/**
 * Re-certification campaigns (aktualizācija, seed 000). Opening one locks the institution (its own
 * stream holds the lock, so one campaign at a time holds under concurrent requests); the campaign's
 * stream follows as the lock's consequence. Completing or lapsing it ends the unconfirmed users'
 * rights and lifts the lock.
 */
@ApiTags('recertifications')
@ApiBearerAuth()
@UseGuards(BearerGuard)
@Controller('recertifications')
export class RecertificationsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly reactionPorts: ApiReactionPorts,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly access: ReadAccess,
  ) {}

  private async run(entry: AnyEntry, id: string, input: unknown, principal: Principal, req: FastifyRequest): Promise<RunResult> {
    return this.commands.execute<RunCommand, RunResult>(new RunCommand(entry, id, input, principal, { correlationId: String(req.id), idempotency: idempotencyOf(req, principal) }));
  }

  private async load(id: string) {
    const loaded = await loadStream(this.store, recertificationStream(id), RECERTIFICATION_STREAM.decider);
    if (loaded.revision === 'no-stream') throw new ProblemError(problem(404, 'Campaign not found'));
    return loaded;
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: "Open a campaign for an institution: it is locked, and its current rights holders are to be confirmed by the deadline" })
  @RegistryCommand(201, 'CampaignOpened')
  async open(@Body() body: OpenCampaignDto, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest) {
    const keyed = idempotencyOf(req, principal);
    const id = keyed ? uuidFrom('campaign', keyed.key) : randomUUID();
    const lock = await this.run(INSTITUTION_COMMANDS.lockForRecertification, body.institution, { campaignId: id, deadline: body.deadline }, principal, req);
    const campaign = await loadStream(this.store, recertificationStream(id), RECERTIFICATION_STREAM.decider);
    return {
      ...registryReply(lock),
      id,
      campaignId: id,
      lock: { institution: body.institution, revision: lock.revision.toString() },
      // The campaign's stream is the lock's consequence; the worker opens it if this process could not.
      revision: campaign.revision === 'no-stream' ? null : campaign.revision.toString(),
    };
  }

  @Get(':id')
  @ApiOperation({ summary: 'A campaign with its progress (ETag = its revision; If-None-Match answers 304)' })
  @Responds(200, 'Campaign', { headers: ['ETag'] })
  async get(@Param('id', campaignId) id: string, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    authorize(principal, 'campaign.read');
    const loaded = await this.load(id);
    const { represents } = await this.access.admit(principal, 'campaign.read', loaded.state.institution);
    if (notModified(req.headers['if-none-match'], reply, etagOf(loaded.revision.toString()))) return;
    return campaignView(loaded.state, loaded.revision.toString(), seesPersonalCode(principal, { kind: 'user', represents, decides: false }));
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @ApiOperation({ summary: 'A representative confirms a user: the user keeps the rights' })
  @RegistryCommand()
  async confirm(@Param('id', campaignId) id: string, @Body() body: CampaignUserDto, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest) {
    return registryReply(await this.run(CAMPAIGN_COMMANDS.confirm, id, { personalCode: body.personalCode }, principal, req));
  }

  @Post(':id/drop')
  @HttpCode(200)
  @ApiOperation({ summary: 'A representative drops a user: the rights end when the campaign completes' })
  @RegistryCommand()
  async drop(@Param('id', campaignId) id: string, @Body() body: CampaignUserDto, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest) {
    return registryReply(await this.run(CAMPAIGN_COMMANDS.drop, id, { personalCode: body.personalCode, ...(body.reason !== undefined && { reason: body.reason }) }, principal, req));
  }

  @Post(':id/complete')
  @HttpCode(200)
  @ApiOperation({ summary: 'Complete: the unconfirmed users lose their rights at once; the lockout ends' })
  @RegistryCommand()
  async complete(@Param('id', campaignId) id: string, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest) {
    return registryReply(await this.run(CAMPAIGN_COMMANDS.complete, id, {}, principal, req));
  }

  @Post(':id/close-at-deadline')
  @HttpCode(200)
  @ApiOperation({ summary: "The deadline timer's step, triggered by an administrator (the worker runs it daily): refused before the deadline" })
  @Responds(200, 'Campaign')
  @Refuses(409, 422)
  async closeAtDeadline(@Param('id', campaignId) id: string, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest) {
    const loaded = await this.load(id);
    authorize(principal, 'campaign.close', { institution: loaded.state.institution ?? undefined });
    await closeCampaignAtDeadline(this.reactionPorts, id, this.reactionPorts.now(), String(req.id));
    return campaignView((await this.load(id)).state, null, seesPersonalCode(principal, { kind: 'user', represents: false, decides: false }));
  }

  @Post(':id/finish')
  @HttpCode(200)
  @ApiOperation({ summary: "Carry out the campaign's outcome again (after an interruption): ends each right once, lists the same" })
  @Responds(200, 'RightsEndedReport')
  @Refuses(409)
  async finish(@Param('id', campaignId) id: string, @CurrentPrincipal() principal: Principal) {
    const loaded = await this.load(id);
    authorize(principal, 'campaign.close', { institution: loaded.state.institution ?? undefined });
    const closing = loaded.events.find((e) => e.type === 'RecertificationCompleted' || e.type === 'RecertificationLapsed');
    if (!closing) throw new ProblemError(problem(409, 'Campaign open', { code: 'CAMPAIGN_OPEN', detail: `campaign ${id} has no outcome yet` }));
    const report = await react(closing, this.reactionPorts);
    return { campaignId: id, rightsEnded: { ended: report?.ended ?? [], skipped: report?.skipped ?? [] } };
  }
}
