import { Body, Controller, Get, HttpCode, Param, Patch, Post, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RegistryCommand, Refuses, Responds } from '../docs/contract';
import { etagOf, notModified } from '../http/etag';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { authorize, Principal, seesPersonalCode } from '@atlauja/auth';
import { ReadAccess } from '../auth/read-access';
import { loadStream } from '@atlauja/command-handler';
import { INSTITUTION_COMMANDS, react } from '@atlauja/commands';
import { INSTITUTION_STREAM, institutionStream, type CoordinationVariant, type InstitutionDetailsInput, type InstitutionType } from '@atlauja/domain';
import type { EventStore } from '@atlauja/event-store';
import { readOpenCampaigns, readRegistryInstitutions } from '@atlauja/projections';
import { BearerGuard, CurrentPrincipal } from '../auth/bearer.guard';
import { idempotencyOf } from '../commands/http-idempotency';
import { ApiReactionPorts } from '../commands/reaction-ports';
import { RunCommand, type AnyEntry, type RunResult } from '../commands/run-command';
import { problem, ProblemError } from '../http/problem';
import { ReadModelsHost } from '../read-models/read-models.host';
import { Inject } from '@nestjs/common';
import { EVENT_STORE } from '../store/tokens';
import { ImportDto, InstitutionDetailsDto, MergeDto, ReasonBodyDto, RegisterInstitutionDto, RepresentativeDto } from './dto';
import { importInstitutionList } from '@atlauja/commands';
import { hierarchyView, institutionView, registryReply } from './institution-views';
import { actorOf } from '../commands/actor';
import { rigaInstant } from '../store/riga-time';
import { CLOCK, type Clock } from '../store/tokens';

const registrationNumber = (value: string): string => {
  if (!/^\d{11}$/.test(value)) throw new ProblemError(problem(404, 'Institution not found', { detail: 'registration numbers are 11 digits' }));
  return value;
};

/** The details as the domain takes them: a head may leave out its resort head (it heads itself). */
function detailsOf(dto: InstitutionDetailsDto, own: string): Partial<InstitutionDetailsInput> {
  return {
    ...(dto.officialName !== undefined && { officialName: dto.officialName }),
    ...(dto.shortName !== undefined && { shortName: dto.shortName }),
    ...(dto.type !== undefined && { type: dto.type as InstitutionType }),
    ...(dto.resortHead !== undefined ? { resortHead: dto.resortHead } : dto.type && dto.type !== 'subordinate' ? { resortHead: own } : {}),
    ...(dto.coordinationVariant !== undefined && { coordinationVariant: dto.coordinationVariant as CoordinationVariant }),
    ...(dto.eAddress !== undefined && { eAddress: dto.eAddress }),
  };
}

/** The registry (seed 001): administrators keep it; admins, auditors and an institution's representatives read it. */
@ApiTags('institutions')
@ApiBearerAuth()
@UseGuards(BearerGuard)
@Controller('institutions')
export class InstitutionsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly readModels: ReadModelsHost,
    private readonly reactionPorts: ApiReactionPorts,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly access: ReadAccess,
  ) {}

  private async run(entry: AnyEntry, reg: string, input: unknown, principal: Principal, req: FastifyRequest) {
    const outcome = await this.commands.execute<RunCommand, RunResult>(
      new RunCommand(entry, reg, input, principal, { correlationId: String(req.id), idempotency: idempotencyOf(req, principal) }),
    );
    return registryReply(outcome);
  }

  @Get()
  @ApiOperation({ summary: 'Every institution in the registry, as resorts with their subordinates' })
  @Responds(200, 'Registry')
  async list(@CurrentPrincipal() principal: Principal) {
    authorize(principal, 'registry.list');
    const { sql, schema } = this.readModels;
    const campaigns = await readOpenCampaigns(sql, schema);
    return {
      resorts: hierarchyView(await readRegistryInstitutions(sql, schema)),
      openCampaigns: campaigns.map((c) => ({ campaignId: c.campaignId, institution: c.institution, deadline: c.deadline })),
    };
  }

  @Get(':reg')
  @ApiOperation({ summary: 'One institution, folded from its stream (ETag = its revision; If-None-Match answers 304)' })
  @Responds(200, 'Institution', { headers: ['ETag'] })
  async get(@Param('reg') reg: string, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    await this.access.admit(principal, 'registry.read', registrationNumber(reg));
    const loaded = await loadStream(this.store, institutionStream(reg), INSTITUTION_STREAM.decider);
    if (loaded.revision === 'no-stream') throw new ProblemError(problem(404, 'Institution not found'));
    if (notModified(req.headers['if-none-match'], reply, etagOf(loaded.revision))) return;
    return institutionView(loaded.state, loaded.revision.toString(), seesPersonalCode(principal, { kind: 'representative' }));
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Register an institution' })
  @RegistryCommand(201)
  register(@Body() body: RegisterInstitutionDto, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest) {
    const { registrationNumber: reg, ...rest } = body;
    return this.run(INSTITUTION_COMMANDS.register, reg, { details: detailsOf(rest, reg) as InstitutionDetailsInput }, principal, req);
  }

  @Patch(':reg')
  @ApiOperation({ summary: 'Change its details (only what differs is recorded)' })
  @RegistryCommand()
  update(@Param('reg') reg: string, @Body() body: InstitutionDetailsDto, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest) {
    return this.run(INSTITUTION_COMMANDS.update, registrationNumber(reg), { changes: detailsOf(body, reg) }, principal, req);
  }

  @Post(':reg/suspend')
  @HttpCode(200)
  @ApiOperation({ summary: 'Suspend the institution, with a reason' })
  @RegistryCommand()
  suspend(@Param('reg') reg: string, @Body() body: ReasonBodyDto, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest) {
    return this.run(INSTITUTION_COMMANDS.suspend, registrationNumber(reg), { reason: body.reason }, principal, req);
  }

  @Post(':reg/reactivate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reactivate a suspended or deactivated institution' })
  @RegistryCommand()
  reactivate(@Param('reg') reg: string, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest) {
    return this.run(INSTITUTION_COMMANDS.reactivate, registrationNumber(reg), {}, principal, req);
  }

  @Post(':reg/deactivate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Deactivate: deleted 6 months later unless reactivated' })
  @RegistryCommand()
  deactivate(@Param('reg') reg: string, @Body() body: ReasonBodyDto, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest) {
    return this.run(INSTITUTION_COMMANDS.deactivate, registrationNumber(reg), { reason: body.reason }, principal, req);
  }

  @Post(':reg/representatives')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add an authorized representative (adding one already there records nothing)' })
  @RegistryCommand()
  addRepresentative(@Param('reg') reg: string, @Body() body: RepresentativeDto, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest) {
    return this.run(INSTITUTION_COMMANDS.addRepresentative, registrationNumber(reg), { personalCode: body.personalCode }, principal, req);
  }

  @Post(':reg/representatives/remove')
  @HttpCode(200)
  @ApiOperation({ summary: 'Remove a representative (the code goes in the body, never in the URL)' })
  @RegistryCommand()
  removeRepresentative(@Param('reg') reg: string, @Body() body: RepresentativeDto, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest) {
    return this.run(INSTITUTION_COMMANDS.removeRepresentative, registrationNumber(reg), { personalCode: body.personalCode, ...(body.reason !== undefined && { reason: body.reason }) }, principal, req);
  }

  @Post(':reg/merge')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record the merge into another institution (seed 003): deactivates it and ends every right at it' })
  @RegistryCommand()
  merge(@Param('reg') reg: string, @Body() body: MergeDto, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest) {
    return this.run(INSTITUTION_COMMANDS.merge, registrationNumber(reg), { into: body.into, effectiveDate: body.effectiveDate }, principal, req);
  }

  @Post(':reg/merge/finish')
  @HttpCode(200)
  @ApiOperation({ summary: "Carry out the merge's consequences again (after an interruption): ends each right once, lists the same" })
  @Responds(200, 'RightsEndedReport')
  @Refuses(409)
  async finishMerge(@Param('reg') reg: string, @CurrentPrincipal() principal: Principal) {
    authorize(principal, 'registry.merge', { institution: registrationNumber(reg) });
    const loaded = await loadStream(this.store, institutionStream(reg), INSTITUTION_STREAM.decider);
    const merge = loaded.events.find((e) => e.type === 'InstitutionMerged');
    if (!merge) throw new ProblemError(problem(409, 'Not merged', { code: 'NOT_MERGED', detail: `institution ${reg} has no merge to carry out` }));
    const report = await react(merge, this.reactionPorts);
    return { registrationNumber: reg, rightsEnded: { ended: report?.ended ?? [], skipped: report?.skipped ?? [] } };
  }

  @Post('import')
  @HttpCode(200)
  @ApiOperation({ summary: 'Import an institution list (CSV text); idempotent, with a report of what changed' })
  @Responds(200, 'ImportReport')
  async import(@Body() body: ImportDto, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest) {
    authorize(principal, 'registry.keep');
    const actor = actorOf(principal, ['admin']);
    const now = this.clock.now();
    return importInstitutionList(body.csv, { store: this.store, holdersAt: (r, a) => this.reactionPorts.holdersAt(r, a) }, { actor, now, at: rigaInstant(now), correlationId: String(req.id), dryRun: body.dryRun === true });
  }
}
