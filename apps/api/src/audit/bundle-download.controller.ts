import { Controller, Get, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Responds } from '../docs/contract';
import type { FastifyReply } from 'fastify';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ZipFile } from 'yazl';
import { authorize, type Principal } from '@atlauja/auth';
import { exportBundle, type StreamSelection } from '@atlauja/audit';
import { BearerGuard, CurrentPrincipal } from '../auth/bearer.guard';
import { problem, ProblemError } from '../http/problem';
import { applicationStream } from '@atlauja/domain';
import { AuditSources } from './audit-sources';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * The export bundle of `audit export`, as a ZIP download: the same writer (libs/audit), into a
 * scratch folder that is removed once the archive has been sent.
 */
@ApiTags('audit')
@ApiBearerAuth()
@UseGuards(BearerGuard)
@Controller('audit')
export class BundleDownloadController {
  constructor(private readonly sources: AuditSources) {}

  @Get('bundle')
  @ApiOperation({ summary: 'Download an export bundle (ZIP) of one application, one institution, or a period: the files `audit export` writes' })
  @Responds(200, { 'application/zip': 'binary' }, { headers: ['Content-Disposition', 'Cache-Control'] })
  @ApiQuery({ name: 'application', required: false, description: 'an application id (UUID)' })
  @ApiQuery({ name: 'institution', required: false, description: 'an 11-digit registration number' })
  @ApiQuery({ name: 'from', required: false, description: 'ISO instant' })
  @ApiQuery({ name: 'to', required: false, description: 'ISO instant' })
  async bundle(@Query() query: Record<string, string | undefined>, @CurrentPrincipal() principal: Principal, @Res() reply: FastifyReply) {
    authorize(principal, 'audit.read');
    const { selection, name } = selectionOf(query);
    const dir = mkdtempSync(join(tmpdir(), 'atlauja-bundle-'));
    const bundleDir = join(dir, name);
    try {
      await exportBundle(this.sources.store, bundleDir, { selection, trust: this.sources.trust() });
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    const zip = new ZipFile();
    for (const file of filesUnder(bundleDir)) zip.addFile(file, `${name}/${relative(bundleDir, file)}`);
    zip.end();
    zip.outputStream.on('end', () => rmSync(dir, { recursive: true, force: true }));
    zip.outputStream.on('error', () => rmSync(dir, { recursive: true, force: true }));
    void reply
      .header('content-type', 'application/zip')
      .header('content-disposition', `attachment; filename="${name}.zip"`)
      .header('cache-control', 'no-store')
      .send(zip.outputStream);
  }
}

function selectionOf(query: Record<string, string | undefined>): { selection: StreamSelection; name: string } {
  const errors: { field: string; rule: string; message: string }[] = [];
  const unknown = Object.keys(query).filter((k) => !['application', 'institution', 'from', 'to'].includes(k));
  for (const k of unknown) errors.push({ field: k, rule: 'unknownField', message: `${k} is not a known field` });
  const instant = (field: 'from' | 'to'): Date | undefined => {
    const value = query[field];
    if (value === undefined) return undefined;
    const date = new Date(value);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(date.getTime())) errors.push({ field, rule: 'isISO8601', message: `${field} must be an ISO instant` });
    return date;
  };
  const from = instant('from');
  const to = instant('to');
  if (query.application !== undefined && !UUID.test(query.application)) errors.push({ field: 'application', rule: 'isUUID', message: 'application must be an application id (UUID)' });
  if (query.institution !== undefined && !/^\d{11}$/.test(query.institution)) errors.push({ field: 'institution', rule: 'matches', message: 'institution must be an 11-digit registration number' });
  const given = [query.application, query.institution, from ?? to].filter((v) => v !== undefined).length;
  if (given !== 1) errors.push({ field: 'application', rule: 'oneSelection', message: 'give exactly one of application, institution or a period (from, to)' });
  if (errors.length > 0) throw new ProblemError(problem(400, 'Invalid request', { kind: 'VALIDATION_FAILED', detail: 'one or more fields are invalid', errors }));
  if (query.application) return { selection: { stream: applicationStream(query.application) }, name: `bundle-${query.application}` };
  if (query.institution) return { selection: { institution: query.institution }, name: `bundle-${query.institution}` };
  return { selection: { from, to }, name: 'bundle-period' };
}
