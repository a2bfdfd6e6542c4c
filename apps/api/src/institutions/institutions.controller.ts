import { Body, Controller, Get, HttpCode, Param, Patch, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Principal } from '@atlauja/auth';
import type { InstitutionDetailsInput, InstitutionType, CoordinationVariant } from '@atlauja/domain';
import { CurrentPrincipal } from '../auth/bearer.guard';
import { problem, ProblemError } from '../http/problem';
import { ImportDto, InstitutionDetailsDto, MergeDto, ReasonBodyDto, RegisterInstitutionDto, RepresentativeDto } from './dto';
import { importInstitutionList } from './institution-import';
import { hierarchyView, institutionView } from './institution-views';
import { personOf, requireReader, requireRole } from './registry-access';
import { RegistryCommands } from './registry-commands';
import { RegistryIndex } from './registry-index';
import { BearerGuard } from '../auth/bearer.guard';
import { RegistryStreams } from './registry-streams';

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
  constructor(private readonly commands: RegistryCommands, private readonly index: RegistryIndex, private readonly streams: RegistryStreams) {}

  private admin(principal: Principal, what: string) {
    return personOf(principal, requireRole(principal, ['admin'], what));
  }

  @Get()
  @ApiOperation({ summary: 'Every institution in the registry, as resorts with their subordinates' })
  async list(@CurrentPrincipal() principal: Principal) {
    requireRole(principal, ['admin', 'auditor'], 'listing the registry');
    await this.index.refresh();
    return { resorts: hierarchyView(this.index.allInstitutions()), openCampaigns: this.index.openCampaigns().map((c) => ({ campaignId: c.campaignId, institution: c.institution, deadline: c.deadline })) };
  }

  @Get(':reg')
  @ApiOperation({ summary: 'One institution, folded from its stream' })
  async get(@Param('reg') reg: string, @CurrentPrincipal() principal: Principal) {
    const role = requireReader(principal, registrationNumber(reg));
    const loaded = await this.streams.loadInstitution(reg);
    if (loaded.revision === 'no-stream') throw new ProblemError(problem(404, 'Institution not found'));
    await this.index.refresh();
    return institutionView(loaded.state, loaded.revision.toString(), role === 'admin', this.index.openCampaign(reg));
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Register an institution' })
  register(@Body() body: RegisterInstitutionDto, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest) {
    const actor = this.admin(principal, 'registering an institution');
    const { registrationNumber: reg, ...rest } = body;
    const details = detailsOf(rest, reg) as InstitutionDetailsInput;
    return this.commands.institution(reg, actor, String(req.id), async () => ({ type: 'RegisterInstitution', details, resortHead: await this.commands.resortHeadFact(details.resortHead, reg) }), false);
  }

  @Patch(':reg')
  @ApiOperation({ summary: 'Change its details (only what differs is recorded)' })
  update(@Param('reg') reg: string, @Body() body: InstitutionDetailsDto, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest) {
    const actor = this.admin(principal, 'changing an institution');
    const changes = detailsOf(body, registrationNumber(reg));
    return this.commands.institution(reg, actor, String(req.id), async (state) => ({
      type: 'UpdateInstitution',
      changes,
      resortHead: await this.commands.resortHeadFact(changes.resortHead ?? state.details?.resortHead, reg),
    }));
  }

  @Post(':reg/suspend')
  @HttpCode(200)
  suspend(@Param('reg') reg: string, @Body() body: ReasonBodyDto, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest) {
    return this.commands.institution(registrationNumber(reg), this.admin(principal, 'suspending an institution'), String(req.id), () => ({ type: 'SuspendInstitution', reason: body.reason }));
  }

  @Post(':reg/reactivate')
  @HttpCode(200)
  reactivate(@Param('reg') reg: string, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest) {
    return this.commands.institution(registrationNumber(reg), this.admin(principal, 'reactivating an institution'), String(req.id), () => ({ type: 'ReactivateInstitution' }));
  }

  @Post(':reg/deactivate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Deactivate: deleted 6 months later unless reactivated' })
  deactivate(@Param('reg') reg: string, @Body() body: ReasonBodyDto, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest) {
    return this.commands.institution(registrationNumber(reg), this.admin(principal, 'deactivating an institution'), String(req.id), () => ({ type: 'DeactivateInstitution', reason: body.reason }));
  }

  @Post(':reg/representatives')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add an authorized representative (adding one already there records nothing)' })
  addRepresentative(@Param('reg') reg: string, @Body() body: RepresentativeDto, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest) {
    return this.commands.institution(registrationNumber(reg), this.admin(principal, 'adding a representative'), String(req.id), () => ({ type: 'AddRepresentative', personalCode: body.personalCode }));
  }

  @Post(':reg/representatives/remove')
  @HttpCode(200)
  @ApiOperation({ summary: 'Remove a representative (the code goes in the body, never in the URL)' })
  removeRepresentative(@Param('reg') reg: string, @Body() body: RepresentativeDto, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest) {
    return this.commands.institution(registrationNumber(reg), this.admin(principal, 'removing a representative'), String(req.id), () => ({
      type: 'RemoveRepresentative',
      personalCode: body.personalCode,
      ...(body.reason !== undefined && { reason: body.reason }),
    }));
  }

  @Post(':reg/merge')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record the merge into another institution (seed 003): deactivates it and ends every right at it' })
  merge(@Param('reg') reg: string, @Body() body: MergeDto, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest) {
    return this.commands.institution(registrationNumber(reg), this.admin(principal, 'recording a merge'), String(req.id), async () => ({
      type: 'MergeInstitution',
      into: body.into,
      effectiveDate: body.effectiveDate,
      target: await this.commands.statusOf(body.into),
    }));
  }

  @Post(':reg/merge/finish')
  @HttpCode(200)
  @ApiOperation({ summary: 'End any right still in force at a merged institution (a rerun after an interruption; ends each right once)' })
  async finishMerge(@Param('reg') reg: string, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest) {
    this.admin(principal, 'carrying out a merge');
    return { registrationNumber: reg, rightsEnded: await this.commands.finishMerge(registrationNumber(reg), String(req.id)) };
  }

  @Post('import')
  @HttpCode(200)
  @ApiOperation({ summary: 'Import an institution list (CSV text); idempotent, with a report of what changed' })
  async import(@Body() body: ImportDto, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest) {
    const actor = this.admin(principal, 'importing institutions');
    return importInstitutionList(body.csv, this.index, this.streams, { actor, at: this.commands.now(), correlationId: String(req.id), dryRun: body.dryRun === true });
  }
}
