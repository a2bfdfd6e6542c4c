import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Refuses, Responds } from '../docs/contract';
import { authorize, Principal } from '@atlauja/auth';
import type { PointInTime } from '@atlauja/audit';
import { CurrentPrincipal } from '../auth/bearer.guard';
import { BearerGuard } from '../auth/bearer.guard';
import { problem, ProblemError } from '../http/problem';
import { AuditQueries } from './audit-queries';
import { UserHistoryDto } from './dto/user-history.dto';

const uuid = new ParseUUIDPipe({
  version: '4',
  exceptionFactory: () => new ProblemError(problem(404, 'Application not found', { detail: 'application ids are UUIDs' })),
});

/** Read-only, auditors only: the record as written, with the machine's, the chain's and the signatures' verdicts. */
@ApiTags('audit')
@ApiBearerAuth()
@UseGuards(BearerGuard)
@Controller('audit')
export class AuditController {
  constructor(private readonly queries: AuditQueries) {}

  @Get('applications/:id/history')
  @ApiOperation({ summary: "An application's every event, who acted and when, and any transition the machine would not allow" })
  @Responds(200, 'ApplicationHistory')
  history(@Param('id', uuid) id: string, @CurrentPrincipal() principal: Principal) {
    authorize(principal, 'audit.read');
    return this.queries.applicationHistory(id, principal);
  }

  @Get('applications/:id/state')
  @ApiOperation({ summary: 'The application as it stood at an instant (at=) or after a revision (revision=), folded from its events' })
  @ApiQuery({ name: 'at', required: false, description: 'ISO instant with a zone; the last event at or before it counts' })
  @ApiQuery({ name: 'revision', required: false, description: 'a stream revision (0-based)' })
  @Responds(200, 'StateAt')
  @Refuses(422)
  state(@Param('id', uuid) id: string, @Query('at') at: string | undefined, @Query('revision') revision: string | undefined, @CurrentPrincipal() principal: Principal) {
    authorize(principal, 'audit.read');
    if ((at === undefined) === (revision === undefined)) {
      throw new ProblemError(problem(400, 'Invalid request', { code: 'POINT_IN_TIME_REQUIRED', detail: 'give exactly one of at= (an instant) or revision=' }));
    }
    const point: PointInTime = at !== undefined ? { at } : { revision: revision as string };
    return this.queries.stateAt(id, point, principal);
  }

  @Get('applications/:id/signatures')
  @ApiOperation({ summary: 'Every signature with its stored evidence and a fresh re-verification verdict' })
  @Responds(200, 'AuditSignatures')
  signatures(@Param('id', uuid) id: string, @CurrentPrincipal() principal: Principal) {
    authorize(principal, 'audit.read');
    return this.queries.signatures(id);
  }

  @Post('users/history')
  @HttpCode(200)
  @ApiOperation({ summary: "Every application about a person (the personal code in the body, never in a URL)" })
  @Responds(200, 'UserHistory')
  @Refuses(422)
  userHistory(@Body() body: UserHistoryDto, @CurrentPrincipal() principal: Principal) {
    authorize(principal, 'audit.read');
    return this.queries.userHistory(body.personalCode, principal);
  }

  @Get('institutions/:registrationNumber/history')
  @ApiOperation({ summary: "Everything of an institution, with its history: its applications, its own registry stream, its campaigns" })
  @Responds(200, 'InstitutionHistory')
  institutionHistory(@Param('registrationNumber') registrationNumber: string, @CurrentPrincipal() principal: Principal) {
    authorize(principal, 'audit.read');
    if (!/^\d{11}$/.test(registrationNumber)) throw new ProblemError(problem(404, 'Institution not found', { detail: 'registration numbers have 11 digits' }));
    return this.queries.institutionHistory(registrationNumber, principal);
  }
}
