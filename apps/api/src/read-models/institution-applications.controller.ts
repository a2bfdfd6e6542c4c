import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { authorize, type Principal } from '@atlauja/auth';
import { institutionApplications, readInstitutionApplications } from '@atlauja/projections';
import { CurrentPrincipal } from '../auth/bearer.guard';
import { problem, ProblemError } from '../http/problem';
import { REGISTRATION_NUMBER } from './dto/page.dto';
import { InstitutionApplicationsQueryDto } from './dto/institution-applications-query.dto';
import { withCursorChecked } from './invalid-cursor';
import { BearerGuard } from '../auth/bearer.guard';
import { ReadModelsHost } from './read-models.host';

/** An institution's applications, for its representatives (and auditors, admins). */
@ApiTags('read models')
@ApiBearerAuth()
@Controller('institutions/:regNo/applications')
@UseGuards(BearerGuard)
export class InstitutionApplicationsController {
  constructor(private readonly readModels: ReadModelsHost) {}

  @Get()
  async list(@CurrentPrincipal() principal: Principal, @Param('regNo') regNo: string, @Query() query: InstitutionApplicationsQueryDto) {
    if (!REGISTRATION_NUMBER.test(regNo)) {
      throw new ProblemError(problem(400, 'Invalid request', { type: 'validation', detail: 'one or more fields are invalid', errors: [{ field: 'regNo', rule: 'matches', message: 'regNo must be an 11-digit registration number' }] }));
    }
    authorize(principal, 'institution.applications', { institution: regNo });
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
