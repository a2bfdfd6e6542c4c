/** Who may take each transition, and on what conditions: the machine's guards, through decide. */
import {
  APP_ID,
  AT,
  DOC,
  OTHER_DOC,
  REP_CODE,
  admin,
  approver,
  approver2,
  auditor,
  commands,
  historyOf,
  repAsApprover,
  representative,
  representative2,
  run,
  system,
  USER,
} from '../../test/fixtures';
import { given } from '../../test/given';
import type { Actor } from '../shared/actor';
import type { DomainError } from '../shared/errors';

describe('roles', () => {
  const everyone: Actor[] = [representative, approver, admin, auditor, system];
  const cases = [
    ['none', () => commands.draft(), ['representative']],
    ['draft', () => commands.edit(), ['representative']],
    ['draft', () => commands.setRights(), ['representative']],
    ['draft', () => commands.withdraw(), ['representative']],
    ['signed', () => commands.claim(), ['approver']],
    ['approved', () => commands.revoke(), ['representative', 'admin']],
    ['approved', () => commands.expire(), ['system']],
    ['approved', () => commands.supersede(), ['system']],
    ['approved', () => commands.end(), ['system']],
  ] as const;

  it.each(cases)('in %s, %p is taken only by %p; anyone else is refused (ROLE_NOT_ALLOWED)', (status, make, allowed) => {
    for (const actor of everyone) {
      const command = { ...make(), actor };
      if ((allowed as readonly string[]).includes(actor.role)) {
        expect(given(historyOf(status)).when(command).outcome().events).toHaveLength(1);
      } else {
        const error = given(historyOf(status)).when(command).then('ROLE_NOT_ALLOWED') as DomainError;
        expect(error.field).toBe('actor.role');
      }
    }
  });

  it('an auditor only reads: every command of theirs is refused', () => {
    given(historyOf('claimed')).when(commands.approve({ actor: auditor })).then('ROLE_NOT_ALLOWED');
    given(historyOf('submitted')).when(commands.sign({ actor: auditor })).then('ROLE_NOT_ALLOWED');
  });

  it('another representative of the institution may carry on a draft (authorization per institution is the API\'s)', () => {
    const events = run(commands.draft(), commands.setRights({ actor: representative2 }), commands.submit({ actor: representative2 }));
    expect(events.map((e) => e.type)).toEqual(['ApplicationDrafted', 'RightsSet', 'ApplicationSubmitted']);
  });
});

describe('four eyes: an approver never claims, approves or rejects what they drafted, submitted or signed', () => {
  it('refuses a claim by the person who drafted, submitted and signed it, even in the approver role (FOUR_EYES)', () => {
    given(historyOf('signed')).when(commands.claim({ actor: repAsApprover })).then('FOUR_EYES');
  });

  it('refuses a claim by the person who only submitted it', () => {
    const submitter: Actor = { id: representative2.id, role: 'representative' };
    const events = run(commands.draft(), commands.setRights(), commands.submit({ actor: submitter }), commands.sign());
    given(events).when(commands.claim({ actor: { id: submitter.id, role: 'approver' } })).then('FOUR_EYES');
  });

  it('refuses a claim by the person who only signed it', () => {
    const signer: Actor = representative2;
    const events = run(
      commands.draft(),
      commands.setRights(),
      commands.submit(),
      commands.sign({ actor: signer, signature: { signerPersonalCode: signer.id } }),
    );
    given(events).when(commands.claim({ actor: { id: signer.id, role: 'approver' } })).then('FOUR_EYES');
  });

  it('refuses a claim, an approval and a rejection by the person who only edited it or only set its rights', () => {
    const editor: Actor = representative2;
    const edited = run(commands.draft(), commands.edit({ actor: editor }), commands.setRights(), commands.submit(), commands.sign());
    given(edited).when(commands.claim({ actor: { id: editor.id, role: 'approver' } })).then('FOUR_EYES');
    const rightsSet = run(commands.draft(), commands.setRights({ actor: editor }), commands.submit(), commands.sign(), commands.claim());
    given(rightsSet).when(commands.approve({ actor: { id: editor.id, role: 'approver' } })).then('FOUR_EYES');
    given(rightsSet).when(commands.reject({ actor: { id: editor.id, role: 'approver' } })).then('FOUR_EYES');
  });

  it('refuses an approver deciding an application that grants rights to themselves (the subject, not only the author)', () => {
    const self = run(commands.draft({ user: { ...USER, personalCode: approver.id } }), commands.setRights(), commands.submit(), commands.sign());
    const refusal = given(self).when(commands.claim()).then('FOUR_EYES') as DomainError;
    expect(refusal.field).toBe('user.personalCode');
  });

  it('lets an unrelated approver claim it', () => {
    given(historyOf('signed'))
      .when(commands.claim())
      .then([{ type: 'ApplicationClaimed', data: { claimedBy: approver.id, claimedAt: AT } }]);
  });
});

describe('the claim: approve and reject only by the approver who holds it', () => {
  it('refuses approval without a claim (CLAIM_NOT_HELD)', () => {
    given(historyOf('signed')).when(commands.approve()).then('CLAIM_NOT_HELD');
  });

  it('refuses approval and rejection by an approver who does not hold it', () => {
    given(historyOf('claimed')).when(commands.approve({ actor: approver2 })).then('CLAIM_NOT_HELD');
    given(historyOf('claimed')).when(commands.reject({ actor: approver2 })).then('CLAIM_NOT_HELD');
  });

  it('refuses a claim while another approver holds it (CLAIMED_BY_ANOTHER)', () => {
    given(historyOf('claimed')).when(commands.claim({ actor: approver2 })).then('CLAIMED_BY_ANOTHER');
  });

  it('claiming again what one holds records nothing (a retried request is harmless)', () => {
    given(historyOf('claimed')).when(commands.claim()).then([]);
  });

  it('a released claim can be taken by another approver', () => {
    const events = historyOf('claimed');
    const released = given(events).when(commands.release()).outcome();
    expect(released.state.claimedBy).toBeNull();
    given([...events, ...released.events]).when(commands.claim({ actor: approver2 })).then([
      { type: 'ApplicationClaimed', data: { claimedBy: approver2.id, claimedAt: AT } },
    ]);
  });

  it('only the holder releases a claim', () => {
    given(historyOf('claimed')).when(commands.release({ actor: approver2 })).then('CLAIM_NOT_HELD');
  });

  it('approval clears the claim and records who decided', () => {
    const { state } = given(historyOf('claimed')).when(commands.approve()).outcome();
    expect({ claimedBy: state.claimedBy, decidedBy: state.decidedBy, decidedAt: state.decidedAt }).toEqual({
      claimedBy: null,
      decidedBy: approver.id,
      decidedAt: AT,
    });
  });
});

describe('signing: a valid qualified signature by the representative over exactly the submitted document', () => {
  it('records the signature with its evidence reference', () => {
    given(historyOf('submitted'))
      .when(commands.sign())
      .then([
        {
          type: 'ApplicationSigned',
          data: {
            documentSha256: DOC,
            signerPersonalCode: REP_CODE,
            signedBy: REP_CODE,
            signedAt: '2025-03-01T09:59:00+02:00',
            acceptedAt: AT,
            evidenceRef: 'evidence/app-0001/1',
          },
        },
      ]);
  });

  it('keeps the evidence itself when given, so an auditor can re-verify it', () => {
    const evidence = { checks: [{ name: 'chain', ok: true }], certificate: 'MIIB...' };
    const { events } = given(historyOf('submitted')).when(commands.sign({ signature: { evidence } })).outcome();
    expect(events[0].data).toMatchObject({ evidence });
  });

  it('keeps evidence as plain JSON: keys without a value are dropped', () => {
    const evidence = { checks: [{ name: 'chain', ok: true, detail: undefined }] } as never;
    const { events } = given(historyOf('submitted')).when(commands.sign({ signature: { evidence } })).outcome();
    expect(JSON.stringify(events[0].data)).not.toContain('detail');
    expect(events[0].data).toMatchObject({ evidence: { checks: [{ name: 'chain', ok: true }] } });
  });

  it('refuses a signature found invalid (SIGNATURE_INVALID)', () => {
    given(historyOf('submitted')).when(commands.sign({ signature: { valid: false, failures: ['revoked'] } })).then('SIGNATURE_INVALID');
  });

  it('refuses a signature over another document (DOCUMENT_MISMATCH)', () => {
    given(historyOf('submitted')).when(commands.sign({ signature: { documentSha256: OTHER_DOC } })).then('DOCUMENT_MISMATCH');
  });

  it('refuses a signature by someone other than the signing representative (SIGNER_MISMATCH)', () => {
    given(historyOf('submitted')).when(commands.sign({ signature: { signerPersonalCode: representative2.id } })).then('SIGNER_MISMATCH');
    given(historyOf('submitted')).when(commands.sign({ signature: { signerPersonalCode: 'PNOLV-garbage' } })).then('SIGNER_MISMATCH');
  });

  it("compares the signer's code in any accepted writing (the certificate carries it without a hyphen)", () => {
    const { events } = given(historyOf('submitted')).when(commands.sign({ signature: { signerPersonalCode: REP_CODE.replace('-', '') } })).outcome();
    expect(events[0].data).toMatchObject({ signerPersonalCode: REP_CODE });
  });

  it('refuses a signing time that is not an instant (TIME_INVALID)', () => {
    given(historyOf('submitted')).when(commands.sign({ signature: { signedAt: 'yesterday' } })).then('TIME_INVALID');
  });
});

describe('rights before submitting', () => {
  it('refuses to submit a new-user or change application without rights (RIGHTS_NOT_SET)', () => {
    given(historyOf('draft')).when(commands.submit()).then('RIGHTS_NOT_SET');
  });

  it('submits a termination without rights: it ends the rights and carries none', () => {
    const events = run(commands.draft({ kind: 'termination', replaces: 'app-0000' }));
    given(events).when(commands.submit()).then([{ type: 'ApplicationSubmitted', data: { documentSha256: DOC, submittedBy: REP_CODE, submittedAt: AT } }]);
  });

  it('refuses rights on a termination (RIGHTS_NOT_FOR_TERMINATION)', () => {
    const events = run(commands.draft({ kind: 'termination', replaces: 'app-0000' }));
    given(events).when(commands.setRights()).then('RIGHTS_NOT_FOR_TERMINATION');
  });
});

describe('revocation (Atcelts): confirmed, with a reason, at once', () => {
  it('refuses an unconfirmed revocation (REVOCATION_NOT_CONFIRMED)', () => {
    given(historyOf('approved')).when(commands.revoke({ confirmed: false })).then('REVOCATION_NOT_CONFIRMED');
  });

  it('records who revoked, when and why', () => {
    given(historyOf('approved'))
      .when(commands.revoke())
      .then([{ type: 'ApplicationRevoked', data: { revokedBy: REP_CODE, revokedAt: AT, reason: 'The user left the ministry' } }]);
  });
});

describe('the command as a whole', () => {
  it('refuses a command for another application (APPLICATION_ID_MISMATCH)', () => {
    given(historyOf('draft')).when(commands.edit({ applicationId: 'app-9999' })).then('APPLICATION_ID_MISMATCH');
  });

  it('refuses a command without an application id (APPLICATION_ID_REQUIRED)', () => {
    given([]).when(commands.draft({ applicationId: '  ' })).then('APPLICATION_ID_REQUIRED');
  });

  it.each([
    ['an unknown role', { id: REP_CODE, role: 'superuser' }],
    ['no actor', undefined],
    ['a person id that is not normalized', { id: REP_CODE.replace('-', ''), role: 'representative' }],
    ['a person id that is no personal code', { id: 'alice', role: 'approver' }],
    ['a system id without the system: prefix', { id: 'expiry', role: 'system' }],
  ])('refuses %s (ACTOR_INVALID): identity comparisons must not be fooled by another writing', (_label, actor) => {
    given(historyOf('signed')).when({ ...commands.claim(), actor: actor as Actor }).then('ACTOR_INVALID');
  });

  it('refuses a command time without an offset (TIME_INVALID)', () => {
    given([]).when(commands.draft({ at: '2025-03-01T10:00:00' })).then('TIME_INVALID');
  });

  it('uses the id the stream was drafted with', () => {
    expect(given([]).when(commands.draft()).outcome().state.id).toBe(APP_ID);
  });
});
