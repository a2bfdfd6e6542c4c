import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { Principal } from '@atlauja/auth';
import { uuidFrom } from '@atlauja/command-handler';
import { formatOfContentType } from '@atlauja/signatures';
import { BearerGuard, CurrentPrincipal } from '../auth/bearer.guard';
import { idempotencyOf } from '../commands/http-idempotency';
import { RunCommand, type RunResult } from '../commands/run-command';
import { Accepts, ApplicationCommand, Refuses, Responds } from '../docs/contract';
import { etagOf, notModified, parseIfMatch } from '../http/etag';
import { problem, ProblemError } from '../http/problem';
import { DocumentView, GetApplication, GetApplicationEvents, GetDocumentToSign, ReadableDocumentView } from './application-queries';
import { COMMANDS, type CommandInput, type CommandName, type SignatureUpload } from './command-entries';
import { OptionalReasonDto, ReasonDto, RevokeDto, SignatureDto } from './dto/decisions.dto';
import { DraftApplicationDto, EditDraftDto } from './dto/draft-application.dto';
import { SetRightsDto } from './dto/rights.dto';

const uuid = new ParseUUIDPipe({
  version: '4',
  exceptionFactory: () => new ProblemError(problem(404, 'Application not found', { detail: 'application ids are UUIDs' })),
});


/** HTTP only: DTO -> command -> bus, and the outcome -> status, ETag and body. */
@ApiTags('applications')
@ApiBearerAuth()
@UseGuards(BearerGuard)
@Controller('applications')
export class ApplicationsController {
  constructor(private readonly commands: CommandBus, private readonly queries: QueryBus) {}

  private async run<N extends CommandName>(name: N, id: string, input: CommandInput<N>, principal: Principal, req: FastifyRequest, reply: FastifyReply) {
    const outcome = await this.commands.execute<RunCommand, RunResult>(
      new RunCommand(COMMANDS[name], id, input, principal, {
        ifMatch: parseIfMatch(req.headers['if-match']),
        correlationId: String(req.id),
        idempotency: idempotencyOf(req, principal),
      }),
    );
    return applicationReply(outcome, reply);
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Draft an application (new user, change or termination)' })
  @ApplicationCommand(201)
  async draft(@Body() body: DraftApplicationDto, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    // A keyed draft names its application by the key, so a retry on any replica meets the first one's stream.
    const keyed = idempotencyOf(req, principal);
    const id = keyed ? uuidFrom('application', keyed.key) : randomUUID();
    const result = await this.run('draft', id, body, principal, req, reply);
    reply.header('location', `/applications/${id}`);
    return result;
  }

  @Get(':id')
  @ApiOperation({ summary: 'One application, folded from its events (ETag = its revision; If-None-Match answers 304)' })
  @Responds(200, 'ApplicationView', { headers: ['ETag'] })
  async get(@Param('id', uuid) id: string, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const view = await this.queries.execute(new GetApplication(id, principal));
    if (notModified(req.headers['if-none-match'], reply, etagOf((view as { revision: string }).revision))) return;
    return view;
  }

  @Get(':id/events')
  @ApiOperation({ summary: 'The application\'s events, with their hash chain' })
  @Responds(200, 'ApplicationEvents')
  events(@Param('id', uuid) id: string, @CurrentPrincipal() principal: Principal) {
    return this.queries.execute(new GetApplicationEvents(id, principal));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Edit the draft: user, term, justification' })
  @ApplicationCommand()
  edit(@Param('id', uuid) id: string, @Body() body: EditDraftDto, @CurrentPrincipal() p: Principal, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run('edit', id, body, p, req, reply);
  }

  @Put(':id/rights')
  @ApiOperation({ summary: 'Set the rights: scopes (institution or resort) x rights groups' })
  @ApplicationCommand()
  setRights(@Param('id', uuid) id: string, @Body() body: SetRightsDto, @CurrentPrincipal() p: Principal, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run('setRights', id, body, p, req, reply);
  }

  @Post(':id/submit')
  @HttpCode(200)
  @ApiOperation({ summary: 'Submit: the content freezes and the document to sign is fixed' })
  @ApplicationCommand()
  submit(@Param('id', uuid) id: string, @CurrentPrincipal() p: Principal, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run('submit', id, {}, p, req, reply);
  }

  @Get(':id/document')
  @ApiOperation({
    summary: 'The document to sign: the readable PDF (Accept: application/pdf) or the JSON view of the canonical JSON; X-Document-Sha256 names the document',
  })
  @Responds(200, { 'application/json': 'DocumentToSign', 'application/pdf': 'binary' }, { headers: ['X-Document-Sha256', 'Content-Disposition'] })
  @Refuses(406, 409)
  async document(@Param('id', uuid) id: string, @CurrentPrincipal() p: Principal, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    if (prefersPdf(req.headers.accept)) {
      const pdf = (await this.queries.execute(new GetDocumentToSign(id, p, 'pdf'))) as ReadableDocumentView;
      reply.header('content-type', 'application/pdf');
      reply.header('content-disposition', `attachment; filename="${pdf.fileName}"`);
      reply.header('x-document-sha256', pdf.sha256);
      reply.header('digest', `sha-256=${Buffer.from(pdf.sha256, 'hex').toString('base64')}`);
      return pdf.bytes;
    }
    const view = (await this.queries.execute(new GetDocumentToSign(id, p))) as DocumentView;
    reply.header('x-document-sha256', view.sha256);
    return view;
  }

  @Post(':id/signature')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Upload the signed document: an EDOC (ASiC-E with XAdES) holding the served PDF, the PDF signed in place (PAdES), or a detached CAdES .p7s over the canonical JSON; verified before anything is stored',
  })
  @ApiBody({ type: SignatureDto })
  @Accepts({ 'application/vnd.etsi.asic-e+zip': 'binary', 'application/pdf': 'binary', 'application/pkcs7-signature': 'binary', 'application/octet-stream': 'binary', 'application/json': 'SignatureDto' })
  @ApplicationCommand()
  sign(@Param('id', uuid) id: string, @Req() req: FastifyRequest, @CurrentPrincipal() p: Principal, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run('sign', id, signatureUpload(req), p, req, reply);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw the application (the representative), with an optional reason' })
  @ApplicationCommand()
  withdraw(@Param('id', uuid) id: string, @Body() body: OptionalReasonDto, @CurrentPrincipal() p: Principal, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run('withdraw', id, body, p, req, reply);
  }

  @Post(':id/claim')
  @HttpCode(200)
  @ApiOperation({ summary: 'An approver takes the application from the queue' })
  @ApplicationCommand()
  claim(@Param('id', uuid) id: string, @CurrentPrincipal() p: Principal, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run('claim', id, {}, p, req, reply);
  }

  @Post(':id/release')
  @HttpCode(200)
  @ApiOperation({ summary: 'The approver puts the application back in the queue' })
  @ApplicationCommand()
  release(@Param('id', uuid) id: string, @CurrentPrincipal() p: Principal, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run('release', id, {}, p, req, reply);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve: the rights are granted (four eyes: not by whom drafted, submitted or signed it)' })
  @ApplicationCommand()
  approve(@Param('id', uuid) id: string, @CurrentPrincipal() p: Principal, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run('approve', id, {}, p, req, reply);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject, with a reason' })
  @ApplicationCommand()
  reject(@Param('id', uuid) id: string, @Body() body: ReasonDto, @CurrentPrincipal() p: Principal, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run('reject', id, body, p, req, reply);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke the rights (Atcelts): confirmed, with a reason, effective at once' })
  @ApplicationCommand()
  revoke(@Param('id', uuid) id: string, @Body() body: RevokeDto, @CurrentPrincipal() p: Principal, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run('revoke', id, body, p, req, reply);
  }
}

/** Raw bytes keep the format their content type names; octet-stream and JSON base64 are sniffed. */
function signatureUpload(req: FastifyRequest): SignatureUpload {
  const signed = signatureBytes(req.body);
  const format = Buffer.isBuffer(req.body) ? formatOfContentType(req.headers['content-type']) : undefined;
  return format ? { signed, format } : { signed };
}

/** PDF when the client asks for it over JSON; JSON otherwise (the existing clients send no Accept). */
function prefersPdf(accept: string | undefined): boolean {
  const quality = (type: string): number | undefined => {
    for (const part of (accept ?? '').split(',')) {
      const [media, ...parameters] = part.trim().toLowerCase().split(';');
      if (media.trim() !== type) continue;
      const q = parameters.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return q ? Number(q.slice(2)) || 0 : 1;
    }
    return undefined;
  };
  const pdf = quality('application/pdf');
  return pdf !== undefined && pdf > 0 && pdf >= (quality('application/json') ?? 0);
}

/** The signature arrives raw (an EDOC, a PDF, a .p7s, or octet-stream) or as JSON base64. */
function signatureBytes(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body;
  const field = (body as { signature?: unknown } | null)?.signature;
  const unknown = body && typeof body === 'object' ? Object.keys(body).filter((k) => k !== 'signature') : [];
  const errors = [
    ...(typeof field !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(field) || field.length % 4 !== 0
      ? [{ field: 'signature', rule: 'isBase64', message: 'signature must be base64 (the bytes of an .edoc, a signed .pdf or a .p7s file)' }]
      : []),
    ...unknown.map((k) => ({ field: k, rule: 'unknownField', message: `${k} is not a known field` })),
  ];
  if (errors.length > 0) throw new ProblemError(problem(400, 'Invalid request', { kind: 'VALIDATION_FAILED', detail: 'one or more fields are invalid', errors }));
  return Buffer.from(field as string, 'base64');
}

/** A command's reply: the ETag and position to read one's write, the rights warnings, and whether it is a replay. */
export function applicationReply(outcome: RunResult, reply: FastifyReply) {
  reply.header('etag', etagOf(outcome.revision === 'no-stream' ? -1n : outcome.revision));
  if (outcome.replayed) reply.header('idempotent-replayed', 'true');
  const warnings = outcome.events.flatMap((e) => (e.type === 'RightsSet' ? (e.data as { warnings: { code: string; field: string; message: string }[] }).warnings.map((w) => ({ ...w })) : []));
  return { applicationId: outcome.id, revision: String(outcome.revision), position: outcome.position === null ? null : outcome.position.toString(), warnings };
}
