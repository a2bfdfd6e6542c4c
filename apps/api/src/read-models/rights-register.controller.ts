import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Responds } from '../docs/contract';
import { actsOnlyAsRepresentative, Forbidden, seesPersonalCode, type Principal } from '@atlauja/auth';
import { ReadAccess } from '../auth/read-access';
import { readUserRights, rightsRegister } from '@atlauja/projections';
import { CurrentPrincipal } from '../auth/bearer.guard';
import { RightsSearchDto } from './dto/rights-search.dto';
import { withCursorChecked } from './invalid-cursor';
import { normalizedPersonalCode } from './personal-code-param';
import { BearerGuard } from '../auth/bearer.guard';
import { ReadModelsHost } from './read-models.host';

/**
 * The user rights register: rights in force now. A POST because a search by person carries a
 * personal code, which never goes into a URL. Codes are shown unmasked by the disclosure rule:
 * to auditors, and to the representatives of the employer searched (listed in the registry).
 */
@ApiTags('read models')
@ApiBearerAuth()
@Controller('rights')
@UseGuards(BearerGuard)
export class RightsRegisterController {
  constructor(private readonly readModels: ReadModelsHost, private readonly access: ReadAccess) {}

  @Post('search')
  @HttpCode(200)
  @ApiOperation({ summary: 'The rights in force now, by person, employer or scope (the personal code in the body, never in a URL)' })
  @Responds(200, 'UserRightsPage')
  async search(@CurrentPrincipal() principal: Principal, @Body() body: RightsSearchDto) {
    // A representative sees the users of the institutions they represent, so names one.
    if (actsOnlyAsRepresentative(principal, 'rights.read') && body.employer === undefined) {
      throw new Forbidden('EMPLOYER_REQUIRED', 'a representative searches the rights of an institution they represent: name it as employer');
    }
    const { represents } = await this.access.admit(principal, 'rights.read', body.employer);
    await this.readModels.awaitPosition(body.minPosition, [rightsRegister.name]);
    const personalCode = body.personalCode === undefined ? undefined : normalizedPersonalCode(body.personalCode, 'personalCode');
    return withCursorChecked(() =>
      readUserRights(
        this.readModels.sql,
        this.readModels.schema,
        { personalCode, employer: body.employer, scope: body.scope, cursor: body.cursor, limit: body.limit ?? 50 },
        this.readModels.now(),
        // Rights in force are no application anyone decides now: auditors, and the employer's representatives.
        seesPersonalCode(principal, { kind: 'user', represents, decides: false }),
      ),
    );
  }
}
