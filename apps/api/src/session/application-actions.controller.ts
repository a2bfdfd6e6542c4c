import { Controller, Get, Inject, Param, ParseUUIDPipe, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Responds } from '../docs/contract';
import { authorize, Forbidden, type Capability, type Principal, type Role } from '@atlauja/auth';
import { storedSignaturesOf } from '@atlauja/audit';
import { applicationStream, explainRefusal, tryNormalizePersonalCode, type ApplicationCommand, type ApplicationState } from '@atlauja/domain';
import { parseCertificate } from '@atlauja/signatures';
import { readAuditLog } from '@atlauja/projections';
import type { SqlDriver } from '@atlauja/event-store';
import { ApplicationStream } from '../applications/application-stream';
import { disclosureFor } from '../applications/application-view';
import { BearerGuard, CurrentPrincipal } from '../auth/bearer.guard';
import { problem, ProblemError } from '../http/problem';
import { RegistryGate } from '../institutions/registry-gate';
import { ReadAccess } from '../auth/read-access';
import { READ_MODEL_SQL } from '../store/tokens';
import { SESSION_CONFIG, type SessionConfig } from './session-config';

const uuid = new ParseUUIDPipe({ version: '4', exceptionFactory: () => new ProblemError(problem(404, 'Application not found', { detail: 'application ids are UUIDs' })) });

/** The commands the portal offers a button for, with the role that gives them. */
const ACTIONS: { name: string; type: ApplicationCommand['type']; role: Role; capability: Capability; extra?: object }[] = [
  { name: 'submit', type: 'SubmitApplication', role: 'representative', capability: 'application.submit' },
  { name: 'withdraw', type: 'WithdrawApplication', role: 'representative', capability: 'application.withdraw' },
  { name: 'revoke', type: 'RevokeApplication', role: 'representative', capability: 'application.revoke', extra: { reason: '-', confirmed: true } },
  { name: 'claim', type: 'ClaimApplication', role: 'approver', capability: 'application.claim' },
  { name: 'release', type: 'ReleaseClaim', role: 'approver', capability: 'application.release' },
  { name: 'approve', type: 'ApproveApplication', role: 'approver', capability: 'application.approve' },
  { name: 'reject', type: 'RejectApplication', role: 'approver', capability: 'application.reject', extra: { reason: '-' } },
];

export interface Refusal {
  code: string;
  field: string;
  message: string;
}

/**
 * What the portal shows beside an application before any button is pressed: which of the
 * person's commands the lifecycle would refuse now and why (four eyes, a claim held by another),
 * judged by the domain's own machine with the caller's unmasked identity, which never leaves the
 * service; and, for what the lifecycle allows, the token's policy and the registry's gate (a
 * re-certification's lockout); the document that was signed and the verdict recorded when the
 * signature was accepted.
 */
@ApiTags('session')
@ApiBearerAuth()
@UseGuards(BearerGuard)
@Controller('session')
export class ApplicationActionsController {
  constructor(
    private readonly applications: ApplicationStream,
    @Inject(READ_MODEL_SQL) private readonly sql: SqlDriver | null,
    @Inject(SESSION_CONFIG) private readonly config: SessionConfig,
    private readonly gate: RegistryGate,
    private readonly access: ReadAccess,
  ) {}

  @Get('applications/:id')
  @ApiOperation({ summary: "The caller's possible actions on an application (each refused one with the rule), its signed document and the recorded signature verdict" })
  @Responds(200, 'ApplicationActions')
  async application(@Param('id', uuid) id: string, @CurrentPrincipal() principal: Principal) {
    const loaded = await this.applications.load(id);
    if (loaded.revision === 'no-stream') throw new ProblemError(problem(404, 'Application not found'));
    const { represents } = await this.access.admit(principal, 'application.read', loaded.state.institution);
    const actor = tryNormalizePersonalCode(principal.subject) ?? principal.subject;
    const actions: Record<string, Refusal | null> = {};
    for (const action of ACTIONS) {
      if (!principal.roles.includes(action.role)) continue;
      const command = { type: action.type, applicationId: id, actor: { id: actor, role: action.role }, at: new Date().toISOString(), ...action.extra } as ApplicationCommand;
      actions[action.name] = refusalOf(loaded.state, command) ?? (await this.admitted(action.capability, loaded.state.institution ?? undefined, principal));
    }
    const signatures = storedSignaturesOf(applicationStream(id), loaded.events);
    const last = signatures[signatures.length - 1];
    return {
      applicationId: id,
      status: loaded.state.status,
      actions,
      // The document names the user: shown to those who may see the user's personal code.
      document: last?.document && disclosureFor(principal, loaded.state, represents).user ? { sha256: last.document.sha256, text: last.document.text ?? null } : null,
      signature: last ? signatureSummary(last) : null,
    };
  }

  @Get('decisions')
  @ApiOperation({ summary: "The caller's own recent decisions (approvals and rejections), newest first" })
  @Responds(200, 'Decisions')
  async decisions(@CurrentPrincipal() principal: Principal) {
    authorize(principal, 'application.approve');
    if (!this.sql) return { items: [] };
    const actor = tryNormalizePersonalCode(principal.subject) ?? principal.subject;
    const schema = this.config.readModelSchema;
    const pages = await Promise.all(
      ['ApplicationApproved', 'ApplicationRejected'].map((type) => readAuditLog(this.sql!, schema, { actor, type, order: 'desc', limit: 20 })),
    );
    const items = pages
      .flatMap((p) => p.items)
      .sort((a, b) => (BigInt(b.position) > BigInt(a.position) ? 1 : -1))
      .slice(0, 20)
      .map((i) => ({ applicationId: i.applicationId, institution: i.institution, decision: i.type === 'ApplicationApproved' ? 'approved' : 'rejected', at: i.occurredAt, summary: i.summary }));
    return { items };
  }

  /** The token's policy and the registry's gate, as the pipeline applies them; their refusal in the same shape. */
  private async admitted(capability: Capability, institution: string | undefined, principal: Principal): Promise<Refusal | null> {
    try {
      authorize(principal, capability, { institution });
      await this.gate.admitApplication(capability, institution, principal);
      return null;
    } catch (error) {
      if (error instanceof Forbidden) return { code: error.rule, field: '', message: error.message };
      if (error instanceof ProblemError) return { code: error.problem.code ?? String(error.problem.status), field: '', message: error.problem.detail ?? error.problem.title };
      throw error;
    }
  }
}

function refusalOf(state: ApplicationState, command: ApplicationCommand): Refusal | null {
  const refusal = explainRefusal(state, command);
  return refusal ? { code: refusal.code, field: refusal.field, message: refusal.message } : null;
}

/** The verdict kept in the signing event, in the words an approver needs: who, when, qualified, timestamped. */
function signatureSummary(signature: ReturnType<typeof storedSignaturesOf>[number]) {
  const checks = (signature.storedChecks ?? []).map((c) => ({ code: c.code, ok: c.ok }));
  let signer: { name: string | null; issuer: string | null } = { name: null, issuer: null };
  const der = signature.evidence?.certificatesB64[0];
  if (der) {
    try {
      const certificate = parseCertificate(Buffer.from(der, 'base64'));
      const cn = certificate.subject.attributes.find((a) => a.oid === '2.5.4.3')?.value ?? null;
      signer = { name: cn, issuer: certificate.issuer.display };
    } catch {
      // A certificate that no longer parses is the auditor's finding; the summary just omits the name.
    }
  }
  return {
    revision: signature.revision.toString(),
    signedAt: signature.signedAt,
    acceptedAt: signature.acceptedAt,
    documentSha256: signature.documentSha256,
    signer,
    valid: checks.length > 0 && checks.every((c) => c.ok),
    qualified: checks.some((c) => c.code === 'NOT_QUALIFIED' && c.ok),
    // A valid RFC 3161 timestamp judged with the signature: its own, or the one the service's TSA added.
    timestamped: (signature.evidence?.timestamps ?? []).some((stamp) => stamp.valid),
    checks,
  };
}
