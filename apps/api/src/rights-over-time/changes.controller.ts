import { Body, Controller, HttpCode, Inject, Param, ParseUUIDPipe, Post, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdempotencyKey, Refuses, Responds } from '../docs/contract';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { Principal } from '@atlauja/auth';
import { ReadAccess } from '../auth/read-access';
import { loadStream, uuidFrom } from '@atlauja/command-handler';
import { APPLICATION_STREAM, applicationStream } from '@atlauja/domain';
import type { EventStore } from '@atlauja/event-store';
import { applicationReply } from '../applications/applications.controller';
import { COMMANDS } from '../applications/command-entries';
import { DraftApplicationDto } from '../applications/dto/draft-application.dto';
import { SetRightsDto } from '../applications/dto/rights.dto';
import { BearerGuard, CurrentPrincipal } from '../auth/bearer.guard';
import { idempotencyOf } from '../commands/http-idempotency';
import { RunCommand, type RunResult } from '../commands/run-command';
import { problem, ProblemError } from '../http/problem';
import { EVENT_STORE } from '../store/tokens';
import { DraftChangeDto } from './dto';

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
@Controller('applications')
export class ChangesController {
  constructor(private readonly commands: CommandBus, @Inject(EVENT_STORE) private readonly store: EventStore, private readonly access: ReadAccess) {}

  @Post(':id/changes')
  @HttpCode(201)
  @ApiOperation({ summary: 'Draft a change or a termination of the application in force (prefilled)' })
  @Responds(201, 'ChangeDrafted', { headers: ['ETag', 'Location', 'Idempotent-Replayed'] })
  @IdempotencyKey()
  @Refuses(409, 422, 423)
  async draftChange(@Param('id', uuid) id: string, @Body() body: DraftChangeDto, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const loaded = await loadStream(this.store, applicationStream(id), APPLICATION_STREAM.decider);
    if (loaded.revision === 'no-stream') throw new ProblemError(problem(404, 'Application not found'));
    const inForce = loaded.state;
    // Who may not read it learns nothing about it (403 before any state is told).
    await this.access.admit(principal, 'application.read', inForce.institution);
    if (inForce.status !== 'approved' || inForce.kind === 'termination') {
      throw new ProblemError(problem(422, 'Not in force', { code: 'APPLICATION_NOT_IN_FORCE', detail: `only an approved grant can be changed or terminated; this application is ${inForce.kind} and ${inForce.status}` }));
    }
    // Two commands, each with its own share of the key: a retry replays the first and completes the second.
    const draftKey = idempotencyOf(req, principal, 'draft');
    const newId = draftKey ? uuidFrom('application', draftKey.key) : randomUUID();
    const options = (step: string) => ({ correlationId: String(req.id), idempotency: idempotencyOf(req, principal, step) });
    const term = body.term ?? (inForce.term!.kind === 'until' ? { kind: 'until' as const, date: inForce.term!.date } : { kind: 'after-last-login' as const, months: 18 as const });
    const draft = {
      kind: body.kind,
      institution: inForce.institution!,
      user: { ...inForce.user! },
      term,
      justification: body.justification,
      replaces: id,
    } as DraftApplicationDto;
    let outcome = await this.commands.execute<RunCommand, RunResult>(new RunCommand(COMMANDS.draft, newId, draft, principal, options('draft')));
    if (body.kind === 'change') {
      // The rights in force, as they were granted: the representative edits from there.
      const rights = { rights: inForce.rights.map((scope) => ({ ...scope, groups: [...scope.groups] })) } as unknown as SetRightsDto;
      outcome = await this.commands.execute<RunCommand, RunResult>(new RunCommand(COMMANDS.setRights, newId, rights, principal, options('rights')));
    }
    reply.header('location', `/applications/${newId}`);
    return { ...applicationReply(outcome, reply), replaces: id, kind: body.kind };
  }
}
