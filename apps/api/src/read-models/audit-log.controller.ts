import { Body, Controller, Get, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Responds } from '../docs/contract';
import { authorize, seesPersonalCode, type Principal } from '@atlauja/auth';
import { auditLog, readAuditLog } from '@atlauja/projections';
import { CurrentPrincipal } from '../auth/bearer.guard';
import { AuditLogQueryDto, AuditLogSearchDto } from './dto/audit-log-query.dto';
import { withCursorChecked } from './invalid-cursor';
import { normalizedPersonalCode } from './personal-code-param';
import { BearerGuard } from '../auth/bearer.guard';
import { ReadModelsHost } from './read-models.host';

/** The audit log, for auditors: every event flattened. Filtering by actor is a POST (the actor is a personal code). */
@ApiTags('read models')
@ApiBearerAuth()
@Controller('audit-log')
@UseGuards(BearerGuard)
export class AuditLogController {
  constructor(private readonly readModels: ReadModelsHost) {}

  @Get()
  @ApiOperation({ summary: 'The audit log (auditors): every event flattened, filtered by stream, institution, type or period' })
  @Responds(200, 'AuditLogPage')
  list(@CurrentPrincipal() principal: Principal, @Query() query: AuditLogQueryDto) {
    return this.read(principal, query, undefined);
  }

  @Post('search')
  @HttpCode(200)
  @ApiOperation({ summary: 'The audit log filtered by actor too (the actor is a personal code: in the body, never in a URL)' })
  @Responds(200, 'AuditLogPage')
  search(@CurrentPrincipal() principal: Principal, @Body() body: AuditLogSearchDto) {
    // A JSON null is no actor (IsOptional lets it through).
    const actor = body.actor === undefined || body.actor === null ? undefined : body.actor.startsWith('system:') ? body.actor : normalizedPersonalCode(body.actor, 'actor');
    return this.read(principal, body, actor);
  }

  private async read(principal: Principal, filter: AuditLogQueryDto, actor: string | undefined) {
    authorize(principal, 'audit.read');
    await this.readModels.awaitPosition(filter.minPosition, [auditLog.name]);
    return withCursorChecked(() =>
      readAuditLog(this.readModels.sql, this.readModels.schema, {
        stream: filter.stream,
        actor,
        institution: filter.institution,
        type: filter.type,
        from: filter.from,
        to: filter.to,
        order: filter.order ?? 'desc',
        cursor: filter.cursor,
        limit: filter.limit ?? 50,
      }, seesPersonalCode(principal, { kind: 'actor' })),
    );
  }
}
