import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Responds } from '../docs/contract';
import type { Principal } from '@atlauja/auth';
import { ReadAccess } from '../auth/read-access';
import { institutionApplications, readInstitutionApplications } from '@atlauja/projections';
import { CurrentPrincipal } from '../auth/bearer.guard';
import { problem, ProblemError } from '../http/problem';
import { REGISTRATION_NUMBER } from './dto/page.dto';
import { InstitutionApplicationsQueryDto } from './dto/institution-applications-query.dto';
import { withCursorChecked } from './invalid-cursor';
import { BearerGuard } from '../auth/bearer.guard';
import { ReadModelsHost } from './read-models.host';

/**
 * An institution's applications, for its representatives listed in the registry (and auditors,
 * admins). The list holds no personal codes: every reader sees them masked; the application itself
 * (GET /applications/:id) shows the code to whom the disclosure rule allows.
 */
@ApiTags('read models')
@ApiBearerAuth()
@Controller('institutions/:regNo/applications')
@UseGuards(BearerGuard)
export class InstitutionApplicationsController {
  constructor(private readonly readModels: ReadModelsHost, private readonly access: ReadAccess) {}

  @Get()
  @ApiOperation({ summary: "An institution's applications, for its representatives (personal codes masked)" })
  @Responds(200, 'InstitutionApplicationsPage')
  async list(@CurrentPrincipal() principal: Principal, @Param('regNo') regNo: string, @Query() query: InstitutionApplicationsQueryDto) {
    if (!REGISTRATION_NUMBER.test(regNo)) {
      throw new ProblemError(problem(400, 'Invalid request', { kind: 'VALIDATION_FAILED', detail: 'one or more fields are invalid', errors: [{ field: 'regNo', rule: 'matches', message: 'regNo must be an 11-digit registration number' }] }));
    }
    await this.access.admit(principal, 'institution.applications', regNo);
    await this.readModels.awaitPosition(query.minPosition, [institutionApplications.name]);
    return withCursorChecked(() =>
      readInstitutionApplications(this.readModels.sql, this.readModels.schema, regNo, {
        statuses: query.status?.split(','),
        kind: query.kind,
        name: query.name,
        cursor: query.cursor,
        limit: query.limit ?? 50,
      }),
    );
  }
}
