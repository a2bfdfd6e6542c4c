import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { catalogue, catalogueEntry, type CatalogueEntry } from '@atlauja/problems';
import { Refuses, Responds } from '../docs/contract';
import { problem, ProblemError } from '../http/problem';

/**
 * The catalogue a problem's `type` points at: each stable code with what it means, Latvian first
 * and English, from the same table the portal shows its messages from. Public: a problem's reader
 * may not be signed in (a 401 names its type too).
 */
@ApiTags('problems')
@Controller('problems')
export class ProblemsController {
  @Get()
  @Header('cache-control', 'public, max-age=3600')
  @ApiOperation({ summary: 'Every problem type (stable code) the API can answer with, in Latvian and English' })
  @Responds(200, 'ProblemCatalogue')
  list(): { items: CatalogueEntry[] } {
    return { items: catalogue() };
  }

  @Get(':code')
  @Header('cache-control', 'public, max-age=3600')
  @ApiOperation({ summary: "One problem type: what the code means, in Latvian and English (a problem's `type` URI)" })
  @ApiParam({ name: 'code', description: 'a stable code, e.g. FOUR_EYES or VALIDATION_FAILED', example: 'FOUR_EYES' })
  @Responds(200, 'ProblemType')
  @Refuses(404)
  one(@Param('code') code: string): CatalogueEntry {
    const entry = catalogueEntry(code);
    // The detail never echoes the path segment (it could be anything a caller typed).
    if (!entry) throw new ProblemError(problem(404, 'Problem type not found', { detail: 'no problem type has this code; GET /problems lists them' }));
    return entry;
  }
}
