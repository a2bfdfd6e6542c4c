/** Reading the institution list and planning the import against the registry: idempotent, heads first. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decideInstitution } from '../decide';
import { foldInstitution } from '../evolve';
import type { InstitutionCommand } from '../commands';
import type { InstitutionState } from '../state';
import { readCsv } from '@atlauja/csv';
import { parseInstitutionList } from './institution-list';
import { planImport, type ImportStep } from './plan';

const FIXTURE = readFileSync(join(__dirname, '..', '..', '..', '..', '..', 'test', 'fixtures', 'institutions.csv'), 'utf8');
const actor = { id: 'system:institution-import', role: 'system' } as const;
const at = '2025-03-01T10:00:00+02:00';

/** Carries the plan out on in-memory streams, the way the CLI does on the store. */
function apply(steps: readonly ImportStep[], registry: Map<string, InstitutionState>): number {
  let appended = 0;
  for (const step of steps) {
    if (step.kind !== 'register' && step.kind !== 'update') continue;
    const state = registry.get(step.registrationNumber) ?? foldInstitution([]);
    const head = step.kind === 'register' ? step.details.resortHead : (step.changes.resortHead ?? state.details?.resortHead);
    const headState = head && head !== step.registrationNumber ? registry.get(head) : undefined;
    const resortHead = head && head !== step.registrationNumber ? (headState?.details ? { type: headState.details.type, status: headState.status } : null) : undefined;
    const command: InstitutionCommand =
      step.kind === 'register'
        ? { type: 'RegisterInstitution', registrationNumber: step.registrationNumber, actor, at, details: step.details, ...(resortHead !== undefined && { resortHead }) }
        : { type: 'UpdateInstitution', registrationNumber: step.registrationNumber, actor, at, changes: step.changes, ...(resortHead !== undefined && { resortHead }) };
    const events = decideInstitution(command, state);
    appended += events.length;
    registry.set(step.registrationNumber, foldInstitution(events, state));
  }
  return appended;
}

describe('the institution list', () => {
  it('reads the fixture: Latvian headers and type words, an empty higher institution for a head', () => {
    const { rows, problems } = parseInstitutionList(readCsv(FIXTURE));
    expect(problems).toEqual([]);
    expect(rows).toHaveLength(6);
    expect(rows[1]).toEqual({ line: 3, registrationNumber: '90000000102', officialName: 'Izdomātais Mākoņu uzraudzības dienests', shortName: 'IMUD', type: 'Padotības iestāde', higherInstitution: '90000000101', coordinationVariant: 1 });
    expect(rows[2].officialName).toBe('Izdomātā "Lietus" aģentūra');
  });

  it('names a missing required column, and skips a number listed twice', () => {
    expect(parseInstitutionList(readCsv('name,type\nX,ministry')).problems).toEqual([{ line: 1, field: 'registration_number', message: expect.stringContaining('registration_number') }]);
    const twice = parseInstitutionList(readCsv('registration_number,name,type\n90000000101,A,ministry\nLV90000000101,B,ministry'));
    expect(twice.rows.map((r) => r.officialName)).toEqual(['A']);
    expect(twice.problems[0]).toMatchObject({ line: 3, field: 'registration_number' });
  });
});

describe('planning and applying an import', () => {
  it('registers every row, heads before subordinates, and a second import of the same file records nothing', () => {
    const registry = new Map<string, InstitutionState>();
    const { rows } = parseInstitutionList(readCsv(FIXTURE));
    const first = planImport(rows, (n) => registry.get(n));
    expect(first.steps.map((s) => s.kind)).toEqual(Array(6).fill('register'));
    expect(first.steps.map((s) => s.registrationNumber).slice(-2)).toEqual(['90000000102', '90000000103']);
    expect(apply(first.steps, registry)).toBe(6);
    expect(registry.get('90000000106')?.details).toMatchObject({ coordinationVariant: 2, eAddress: '_DEFAULT@90000000106', shortName: '' });

    const second = planImport(rows, (n) => registry.get(n), [...registry.keys()]);
    expect(second.steps.map((s) => s.kind)).toEqual(Array(6).fill('unchanged'));
    expect(apply(second.steps, registry)).toBe(0);
  });

  it('updates only the changed fields, keeps a variant the file does not give, reports institutions missing from the file', () => {
    const registry = new Map<string, InstitutionState>();
    const { rows } = parseInstitutionList(readCsv(FIXTURE));
    apply(planImport(rows, (n) => registry.get(n)).steps, registry);
    const rasa = registry.get('90000000106') as InstitutionState;
    registry.set('90000000106', foldInstitution(decideInstitution({ type: 'UpdateInstitution', registrationNumber: '90000000106', actor, at, changes: { coordinationVariant: 3 } }, rasa), rasa));
    const changed = rows.filter((r) => r.registrationNumber !== '90000000105').map((r) => (r.registrationNumber === '90000000104' ? { ...r, officialName: 'Izdomātais  Vēja birojs (jauns)' } : r));
    const plan = planImport(changed, (n) => registry.get(n), [...registry.keys()]);
    expect(plan.steps.filter((s) => s.kind !== 'unchanged')).toEqual([
      { kind: 'update', line: 5, registrationNumber: '90000000104', changes: { officialName: 'Izdomātais Vēja birojs (jauns)' }, fields: ['officialName'] },
    ]);
    expect(plan.notInFile).toEqual(['90000000105']);
    expect(apply(plan.steps, registry)).toBe(1);
  });

  it('a changed row of a deactivated institution is reported, not applied', () => {
    const registry = new Map<string, InstitutionState>();
    const { rows } = parseInstitutionList(readCsv(FIXTURE));
    apply(planImport(rows, (n) => registry.get(n)).steps, registry);
    const gone = registry.get('90000000105') as InstitutionState;
    registry.set('90000000105', foldInstitution(decideInstitution({ type: 'DeactivateInstitution', registrationNumber: '90000000105', actor, at, reason: 'merged' }, gone), gone));
    const plan = planImport(rows.map((r) => ({ ...r, officialName: `${r.officialName}!` })), (n) => registry.get(n));
    expect(plan.steps.find((s) => s.registrationNumber === '90000000105')).toEqual({ kind: 'not-active', line: 6, registrationNumber: '90000000105', status: 'deactivated' });
  });

  it('an unknown type word reaches the decider, which refuses it by name', () => {
    const { rows } = parseInstitutionList(readCsv('registration_number,name,type\n90000000107,Izdomāta iestāde,Fonds'));
    const [step] = planImport(rows, () => undefined).steps;
    expect(() => apply([step], new Map())).toThrow(expect.objectContaining({ code: 'INSTITUTION_TYPE_INVALID' }));
  });
});
