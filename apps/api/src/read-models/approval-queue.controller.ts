import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Responds } from '../docs/contract';
import { authorize, type Principal } from '@atlauja/auth';
import { approvalQueue, readApprovalQueue } from '@atlauja/projections';
import { CurrentPrincipal } from '../auth/bearer.guard';
import { ApprovalQueueQueryDto } from './dto/approval-queue-query.dto';
import { withCursorChecked } from './invalid-cursor';
import { BearerGuard } from '../auth/bearer.guard';
import { ReadModelsHost } from './read-models.host';

/** The approvers' queue: signed applications awaiting a decision, oldest first. */
@ApiTags('read models')
@ApiBearerAuth()
@Controller('queue')
@UseGuards(BearerGuard)
export class ApprovalQueueController {
  constructor(private readonly readModels: ReadModelsHost) {}

  @Get()
  @ApiOperation({ summary: "The approvers' queue: signed applications awaiting a decision, oldest first" })
  @Responds(200, 'QueuePage')
  async queue(@CurrentPrincipal() principal: Principal, @Query() query: ApprovalQueueQueryDto) {
    authorize(principal, 'queue.read');
    await this.readModels.awaitPosition(query.minPosition, [approvalQueue.name]);
    return withCursorChecked(() =>
      readApprovalQueue(
        this.readModels.sql,
        this.readModels.schema,
        { institution: query.institution, kind: query.kind, claimed: query.claimed, cursor: query.cursor, limit: query.limit ?? 50 },
        principal.subject,
        this.readModels.now(),
      ),
    );
  }
}
