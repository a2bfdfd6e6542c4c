/**
 * The response bodies of the API as OpenAPI 3.0 schemas: what each view function returns (the
 * controllers' views, the read models' pages, the audit's histories). The contract spec checks
 * real responses of a lifecycle against them, so a view that changes shape fails a test.
 */
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

type Schema = SchemaObject | { $ref: string };

export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const str: Schema = { type: 'string' };
const nstr: Schema = { type: 'string', nullable: true };
const bool: Schema = { type: 'boolean' };
const int: Schema = { type: 'integer' };
const decimal: Schema = { type: 'string', pattern: '^-?\\d+$', description: 'a 64-bit number as a decimal string' };
const ndecimal: Schema = { ...decimal, nullable: true } as Schema;
const instant: Schema = { type: 'string', format: 'date-time' };
const ninstant: Schema = { type: 'string', format: 'date-time', nullable: true };
const uuid: Schema = { type: 'string', format: 'uuid' };
const regNo: Schema = { type: 'string', pattern: '^\\d{11}$', description: 'registration number' };
const arr = (items: Schema): Schema => ({ type: 'array', items });
const oneOf = (...values: string[]): Schema => ({ type: 'string', enum: values });
/** An inline object that may be null (OpenAPI 3.0: `nullable` beside its `type`). */
const nullable = (schema: SchemaObject): Schema => ({ ...schema, nullable: true }) as Schema;
const anyObject: Schema = { type: 'object', additionalProperties: true };

/** An object whose listed properties are all required except the `optional` ones. */
function obj(properties: Record<string, Schema>, optional: string[] = [], description?: string): SchemaObject {
  const required = Object.keys(properties).filter((k) => !optional.includes(k));
  return { type: 'object', properties, ...(required.length > 0 && { required }), ...(description && { description }) } as SchemaObject;
}

const page = (item: string, description: string): SchemaObject => obj({ items: arr(ref(item)), nextCursor: { type: 'string', nullable: true, description: 'pass as cursor for the next page; null on the last' } }, [], description);

const STATUS = oneOf('draft', 'submitted', 'signed', 'approved', 'rejected', 'withdrawn', 'revoked', 'expired', 'superseded', 'ended');
const KIND = oneOf('new-user', 'change', 'termination');
const GROUPS = arr(oneOf('MANAGE', 'APPROVE', 'SIGN', 'VIEW', 'COORDINATE', 'COORDINATE_MIN'));
const ROLES = arr(oneOf('representative', 'approver', 'auditor', 'admin'));
const INSTITUTION_STATUS = oneOf('active', 'suspended', 'deactivated', 'deleted', 'none');
const INSTITUTION_TYPE = oneOf('ministry', 'cvi', 'subordinate', 'municipality');
const codeFieldMessage = obj({ code: str, field: str, message: str });
const personShort = obj({ givenName: str, surname: str, personalCode: { type: 'string', description: 'masked unless the disclosure rule shows it' } });
const rightsEnded = obj({ ended: arr(str), skipped: arr(str) }, [], 'the applications whose rights this ended, and those already ended');
const USER = obj({ givenName: str, surname: str, personalCode: str, email: str });
/** `until` a date, or `after-last-login` (18 months after the user's last login). */
const TERM = obj({ kind: oneOf('until', 'after-last-login'), date: { type: 'string', format: 'date' }, months: { type: 'integer', enum: [18] } }, ['date', 'months']);
const check = obj({ code: str, ok: bool, detail: str }, ['detail']);

export const SCHEMAS: Record<string, SchemaObject> = {
  FieldProblem: obj({ field: { type: 'string', example: 'user.personalCode' }, rule: { type: 'string', example: 'PERSONAL_CODE_CHECKSUM' }, message: str }, [], 'one refused field: its path, the rule it broke and why'),
  Problem: obj(
    {
      type: { type: 'string', format: 'uri-reference', example: '/problems/FOUR_EYES', description: 'the catalogue entry of the code (GET /problems/{code}): Latvian and English' },
      title: str,
      status: { type: 'integer', minimum: 400, maximum: 599 },
      detail: str,
      instance: { type: 'string', format: 'uri-reference', example: '/applications/6f1c2a4e-0d1b-4c8e-9a57-2b1f3f4d5e6a/approve', description: "this occurrence: the request's path, or urn:atlauja:request:{correlationId}" },
      code: { type: 'string', example: 'FOUR_EYES', description: 'the stable code of the refusal (a domain rule, an authorization rule, a check)' },
      errors: arr(ref('FieldProblem')),
      failures: { ...arr(str), description: "a signature's failed checks, by code" } as Schema,
      checks: { ...anyObject, description: "readiness: each check's state" } as Schema,
      correlationId: str,
    },
    ['detail', 'instance', 'code', 'errors', 'failures', 'checks', 'correlationId'],
    'RFC 9457 problem details: every error of this API',
  ),
  ProblemType: obj({ code: str, type: str, lv: { type: 'string', description: 'latviski' }, en: { type: 'string', description: 'in English' } }, [], 'what a stable code means, Latvian first'),
  ProblemCatalogue: obj({ items: arr(ref('ProblemType')) }),
  Health: obj({ status: oneOf('ok') }),
  Readiness: obj({ status: str, info: anyObject, error: anyObject, details: anyObject }, ['info', 'error'], "terminus' result: each check's details"),
  CommandResult: obj(
    { applicationId: uuid, revision: { type: 'string', description: 'the new revision (also the ETag)' }, position: { ...ndecimal, description: 'the log position: pass as minPosition to read your write' } as Schema, warnings: arr(codeFieldMessage) },
    [],
    "a command's outcome on an application",
  ),
  ChangeDrafted: { allOf: [ref('CommandResult'), obj({ replaces: uuid, kind: oneOf('change', 'termination') })] } as SchemaObject,
  Scope: obj({ kind: oneOf('institution', 'resort'), institution: regNo, resort: regNo, groups: GROUPS }, ['institution', 'resort']),
  ApplicationView: obj({
    id: uuid,
    status: STATUS,
    kind: KIND,
    institution: nstr,
    user: nullable(USER),
    term: nullable(TERM),
    rights: arr(ref('Scope')),
    rightsWarnings: arr(codeFieldMessage),
    justification: nstr,
    replaces: nstr,
    documentSha256: nstr,
    draftedAt: ninstant,
    submittedAt: ninstant,
    signedAt: ninstant,
    claimedBy: nstr,
    claimedAt: ninstant,
    decidedBy: nstr,
    decidedAt: ninstant,
    endedAt: ninstant,
    reason: nstr,
    revision: str,
  }, ['draftedAt', 'submittedAt', 'signedAt', 'claimedBy', 'claimedAt', 'decidedBy', 'decidedAt', 'endedAt', 'reason', 'documentSha256', 'replaces', 'justification', 'rightsWarnings']),
  StateAt: { allOf: [ref('ApplicationView'), obj({ asOf: obj({ revision: nstr, occurredAt: ninstant }) })] } as SchemaObject,
  EventView: obj({ id: str, revision: str, position: str, type: str, data: anyObject, occurredAt: instant, actor: str, hash: str, prevHash: str }, ['position', 'hash', 'prevHash']),
  ApplicationEvents: obj({ revision: str, events: arr(ref('EventView')) }),
  DocumentToSign: obj(
    {
      applicationId: uuid,
      revision: str,
      sha256: str,
      mediaType: oneOf('application/json'),
      contentBase64: { type: 'string', format: 'byte', description: 'the exact bytes of the canonical JSON: what a .p7s signs' },
      text: str,
      readable: obj({ mediaType: oneOf('application/pdf'), sha256: str, fileName: str }),
    },
    ['text', 'readable'],
  ),
  RegistryResult: obj(
    { id: str, revision: nstr, position: ndecimal, recorded: int, replayed: bool, rightsEnded, applicationsClosed: arr(str) },
    ['replayed', 'rightsEnded', 'applicationsClosed'],
    "a registry command's outcome: how many events it recorded, and the rights it ended",
  ),
  CampaignOpened: { allOf: [ref('RegistryResult'), obj({ campaignId: uuid, lock: obj({ institution: regNo, revision: str }), revision: nstr })] } as SchemaObject,
  RightsEndedReport: obj({ registrationNumber: regNo, campaignId: uuid, rightsEnded }, ['registrationNumber', 'campaignId']),
  Institution: obj(
    {
      registrationNumber: regNo,
      status: INSTITUTION_STATUS,
      officialName: str,
      shortName: str,
      type: INSTITUTION_TYPE,
      resortHead: str,
      coordinationVariant: { type: 'integer', enum: [1, 2, 3] },
      eAddress: str,
      representatives: arr(str),
      statusReason: nstr,
      openCampaign: nullable(obj({ campaignId: uuid, deadline: str })),
      revision: nstr,
    },
    ['officialName', 'shortName', 'type', 'resortHead', 'coordinationVariant', 'eAddress', 'statusReason'],
  ),
  InstitutionRow: obj({ registrationNumber: regNo, officialName: str, type: INSTITUTION_TYPE, status: INSTITUTION_STATUS, subordinates: arr(ref('InstitutionRow')) }, ['officialName', 'type', 'subordinates']),
  Registry: obj({ resorts: arr(ref('InstitutionRow')), openCampaigns: arr(obj({ campaignId: uuid, institution: regNo, deadline: str })) }),
  ImportReport: obj({
    registered: arr(str),
    updated: arr(obj({ registrationNumber: str, fields: arr(str) })),
    unchanged: arr(str),
    notActive: arr(obj({ registrationNumber: str, status: str })),
    refused: arr(obj({ line: int, registrationNumber: str, code: str, field: str, message: str })),
    problems: arr(obj({ line: int, field: str, message: str })),
    notInFile: arr(str),
    appended: int,
  }, ['registered', 'updated', 'unchanged', 'notActive', 'refused', 'problems', 'notInFile']),
  Campaign: obj({
    campaignId: uuid,
    institution: str,
    status: oneOf('open', 'completed', 'lapsed', 'none'),
    deadline: str,
    progress: { type: 'object', additionalProperties: { type: 'integer' } },
    users: arr(obj({ personalCode: str, decision: oneOf('confirmed', 'dropped', 'unmarked'), applications: arr(str) })),
    ended: arr(obj({ personalCode: str, applications: arr(str) })),
    openedAt: ninstant,
    closedAt: ninstant,
    revision: nstr,
  }, ['institution', 'deadline', 'progress', 'users', 'ended', 'openedAt', 'closedAt']),
  QueueItem: obj({ applicationId: uuid, institution: str, kind: KIND, user: personShort, queuedAt: instant, ageSeconds: { type: 'number' }, claimedBy: nstr, claimedAt: ninstant, claimedByMe: bool, fourEyesConflict: bool }),
  QueuePage: page('QueueItem', "the approvers' queue, oldest first"),
  InstitutionApplication: obj({
    applicationId: uuid, institution: str, kind: KIND, status: STATUS, user: personShort, term: nullable(TERM), replaces: nstr,
    draftedAt: instant, submittedAt: ninstant, signedAt: ninstant, decidedAt: ninstant, endedAt: ninstant, reason: nstr, claimed: bool, updatedAt: instant,
  }, ['replaces', 'submittedAt', 'signedAt', 'decidedAt', 'endedAt', 'reason', 'claimed', 'updatedAt', 'draftedAt', 'term']),
  InstitutionApplicationsPage: page('InstitutionApplication', "an institution's applications, newest first"),
  UserRight: obj({
    user: personShort,
    employer: str,
    scope: obj({ kind: oneOf('institution', 'resort'), institution: regNo, resort: regNo }, ['institution', 'resort']),
    groups: GROUPS,
    term: obj({ kind: str, date: str, months: int }, ['date', 'months']),
    grantedBy: obj({ applicationId: uuid, at: instant, position: str }),
  }),
  UserRightsPage: page('UserRight', 'the rights in force now'),
  AuditLogItem: obj({ position: str, eventId: str, occurredAt: instant, actor: str, stream: str, revision: str, type: str, applicationId: nstr, institution: nstr, summary: str }),
  AuditLogPage: page('AuditLogItem', 'the audit log: every event flattened'),
  ProjectionsStatus: obj({ projections: arr(obj({ name: str, checkpoint: str, lag: str, state: str, failedPosition: str, error: str }, ['failedPosition', 'error'])) }),
  AuthorizationAnswer: obj({
    decision: oneOf('allow', 'deny'),
    reason: { type: 'string', description: 'why not: not granted, expired, revoked, ended, locked, institution inactive' },
    application: str,
    position: str,
  }, ['reason', 'application']),
  LoginRecorded: obj({ recorded: { type: 'boolean', enum: [true] }, position: str }),
  Session: obj({
    signedIn: bool,
    mode: oneOf('local', 'server'),
    signIn: oneOf('demo', 'oidc', 'none'),
    person: obj({ personalCode: { type: 'string', description: 'masked' }, roles: ROLES, institutions: arr(str), name: nstr }),
    csrfToken: str,
    expiresAt: ninstant,
  }, ['person', 'csrfToken', 'expiresAt']),
  DemoPeople: obj({ people: arr(obj({ id: str, givenName: str, surname: str, roles: ROLES, institutions: arr(str) })) }),
  DemoSignedIn: obj({ signedIn: bool, csrfToken: str }),
  ApplicationActions: obj({
    applicationId: uuid,
    status: STATUS,
    actions: { type: 'object', description: 'each command the caller has a role for: null when allowed now, else the refusal', additionalProperties: nullable(codeFieldMessage as SchemaObject) },
    document: nullable(obj({ sha256: str, text: nstr })),
    signature: nullable(obj({
      revision: str, signedAt: instant, acceptedAt: instant, documentSha256: str, signer: obj({ name: nstr, issuer: nstr }),
      valid: bool, qualified: bool, timestamped: bool, checks: arr(obj({ code: str, ok: bool })),
    })),
  }),
  Decisions: obj({ items: arr(obj({ applicationId: str, institution: nstr, decision: oneOf('approved', 'rejected'), at: instant, summary: str }, ['summary'])) }),
  Finding: obj({ kind: str, code: str, stream: str, revision: str, type: str, rule: str, message: str }, ['stream', 'revision', 'type', 'rule']),
  StreamHistory: obj({
    stream: str,
    type: str,
    revision: str,
    events: arr(ref('EventView')),
    who: arr(obj({ revision: str, type: str, actor: str, at: instant })),
    findings: arr(ref('Finding')),
  }, ['type']),
  ApplicationHistory: { allOf: [ref('StreamHistory'), obj({ applicationId: uuid })] } as SchemaObject,
  UserHistory: obj({ applications: arr(ref('ApplicationHistory')) }),
  InstitutionHistory: obj({ institution: regNo, applications: arr(ref('ApplicationHistory')), streams: arr(ref('StreamHistory')) }),
  AuditSignatures: obj({
    applicationId: uuid,
    signatures: arr(obj({
      revision: str,
      signedBy: str,
      signedAt: instant,
      acceptedAt: instant,
      documentSha256: str,
      stored: obj({ checks: nullable(arr(check) as SchemaObject), evidence: nullable(anyObject as SchemaObject) }),
      reverified: obj({ valid: bool, failures: arr(str), checks: arr(check), crlsMissing: arr(str) }),
    }, ['signedBy'])),
  }),
};

/** Binary bodies: their bytes, never JSON. */
export const BINARY: SchemaObject = { type: 'string', format: 'binary' };
