import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post, Req, Res, UseGuards, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { authorize, Principal } from '@atlauja/auth';
import { CommandOutcome, ExecuteApplicationCommand } from '../applications/command-pipeline';
import { DraftApplicationDto } from '../applications/dto/draft-application.dto';
import { SetRightsDto } from '../applications/dto/rights.dto';
import { CurrentPrincipal } from '../auth/bearer.guard';
import { etagOf } from '../http/etag';
import { problem, ProblemError } from '../http/problem';
import { DraftChangeDto } from './dto';
import { BearerGuard } from '../auth/bearer.guard';
import { IdempotencyInterceptor } from '../idempotency/idempotency.interceptor';
import { RightsOverTimeSources } from './sources';

const uuid = new ParseUUIDPipe({ version: '4', exceptionFactory: () => new ProblemError(problem(404, 'Application not found', { detail: 'application ids are UUIDs' })) });

/**
 * Mainīt and lietošanas pārtraukšana: a draft made from the application in force for the user,
 * with the user, the term and (for a change) the rights prefilled and `replaces` set. The rest of
 * its way (edit, submit, sign, approve) is the ordinary application's; when it is approved, the
 * rights-over-time process supersedes the application it replaces.
 */
@ApiTags('rights over time')
@ApiBearerAuth()
@UseGuards(BearerGuard)
@UseInterceptors(IdempotencyInterceptor)
@Controller('applications')
export class ChangesController {
  constructor(private readonly commands: CommandBus, private readonly sources: RightsOverTimeSources) {}

  @Post(':id/changes')
  @HttpCode(201)
  @ApiOperation({ summary: 'Draft a change or a termination of the application in force (prefilled)' })
  async draftChange(@Param('id', uuid) id: string, @Body() body: DraftChangeDto, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const loaded = await this.sources.applications.load(id);
    if (loaded.revision === 'no-stream') throw new ProblemError(problem(404, 'Application not found'));
    const inForce = loaded.state;
    // Who may not read it learns nothing about it (403 before any state is told).
    authorize(principal, 'application.read', { institution: inForce.institution ?? undefined });
    if (inForce.status !== 'approved' || inForce.kind === 'termination') {
      throw new ProblemError(problem(422, 'Not in force', { code: 'APPLICATION_NOT_IN_FORCE', detail: `only an approved grant can be changed or terminated; this application is ${inForce.kind} and ${inForce.status}` }));
    }
    const newId = randomUUID();
    const options = { correlationId: String(req.id) };
    const term = body.term ?? (inForce.term!.kind === 'until' ? { kind: 'until' as const, date: inForce.term!.date } : { kind: 'after-last-login' as const, months: 18 as const });
    const draft = {
      kind: body.kind,
      institution: inForce.institution!,
      user: { ...inForce.user! },
      term,
      justification: body.justification,
      replaces: id,
    } as DraftApplicationDto;
    let outcome = await this.commands.execute<ExecuteApplicationCommand<'draft'>, CommandOutcome>(new ExecuteApplicationCommand('draft', newId, draft, principal, options));
    if (body.kind === 'change') {
      // The rights in force, as they were granted: the representative edits from there.
      const rights = { rights: inForce.rights.map((scope) => ({ ...scope, groups: [...scope.groups] })) } as unknown as SetRightsDto;
      outcome = await this.commands.execute<ExecuteApplicationCommand<'setRights'>, CommandOutcome>(new ExecuteApplicationCommand('setRights', newId, rights, principal, options));
    }
    reply.header('etag', etagOf(outcome.revision));
    reply.header('location', `/applications/${newId}`);
    return { applicationId: newId, replaces: id, kind: body.kind, revision: outcome.revision.toString(), position: outcome.position.toString(), warnings: outcome.warnings };
  }
}
