/**
 * Upcasters keyed by (type, schema version), tested on a stored fixture: a real v1 ApplicationDrafted
 * as the store holds it (fixtures/application-drafted.v1.json, hash included). No production event
 * has a second version yet, so "v2" and "v3" below are hypothetical shapes defined only here:
 * v2 folds draftedBy/draftedAt into `drafted: { by, at }`; v3 renames `justification` to `reason`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APPLICATION_UPCASTERS, UpcastError, applicationUpcasting, checkChain, checkTransitions, createUpcasting, fromJson, stateAt, type Upcaster } from '@atlauja/audit';

const stored = fromJson(JSON.parse(readFileSync(join(__dirname, 'fixtures', 'application-drafted.v1.json'), 'utf8')));
const original = structuredClone(stored);

const draftedV1toV2: Upcaster = {
  type: 'ApplicationDrafted',
  from: 1,
  upcast: (data) => {
    const { draftedBy, draftedAt, ...rest } = data as { draftedBy: string; draftedAt: string };
    return { ...rest, drafted: { by: draftedBy, at: draftedAt } };
  },
};
const draftedV2toV3: Upcaster = {
  type: 'ApplicationDrafted',
  from: 2,
  upcast: (data) => {
    const { justification, ...rest } = data as { justification: string };
    return { ...rest, reason: justification };
  },
};

describe('older event shapes read through upcasters', () => {
  it('the fixture is an untouched v1 record: its hash chain verifies', () => {
    expect(stored.metadata.schemaVersion).toBe(1);
    expect(checkChain(stored.stream, [stored])).toEqual([]);
  });

  it('production reads v1 as it is (no upcaster exists yet) and folds it', () => {
    expect(APPLICATION_UPCASTERS).toEqual([]);
    expect(applicationUpcasting.read(stored.type, stored.data, 1)).toEqual({ data: stored.data, schemaVersion: 1 });
    expect(stateAt([stored], { revision: 0 }).state).toMatchObject({ status: 'draft', draftedBy: '140385-11007' });
  });

  it('a reader at v2 upcasts the stored v1 record, and the stored bytes stay as they were (the hash still verifies)', () => {
    const reader = createUpcasting([draftedV1toV2], { ApplicationDrafted: 2 });
    const read = reader.read(stored.type, stored.data, stored.metadata.schemaVersion);
    expect(read.schemaVersion).toBe(2);
    expect(read.data).toMatchObject({ applicationId: 'app-0001', drafted: { by: '140385-11007', at: '2025-03-01T10:00:00+02:00' } });
    expect(read.data).not.toHaveProperty('draftedBy');
    expect(stored).toEqual(original);
    expect(checkChain(stored.stream, [stored])).toEqual([]);
  });

  it('upcasters chain in version order: v1 → v2 → v3, whatever order they are registered in', () => {
    const reader = createUpcasting([draftedV2toV3, draftedV1toV2], { ApplicationDrafted: 3 });
    const read = reader.read(stored.type, stored.data, 1);
    expect(read).toMatchObject({ schemaVersion: 3, data: { drafted: { by: '140385-11007' }, reason: 'Prepares the ministry estimate' } });
    // A record already at v2 takes only the last step.
    expect(reader.read(stored.type, draftedV1toV2.upcast(stored.data), 2).data).toEqual(read.data);
  });

  it('a version with no upcaster is named UPCASTER_MISSING, and the replay names it and stops there', () => {
    const reader = createUpcasting([], { ApplicationDrafted: 2 });
    expect(() => reader.read(stored.type, stored.data, 1)).toThrow(expect.objectContaining({ code: 'UPCASTER_MISSING' }));
    expect(checkTransitions(stored.stream, [stored], reader)).toEqual([expect.objectContaining({ kind: 'schema', code: 'UPCASTER_MISSING', revision: '0' })]);
  });

  it('a record newer than the reader is refused (SCHEMA_VERSION_NEWER), never guessed at', () => {
    let thrown: unknown;
    try {
      applicationUpcasting.read(stored.type, stored.data, 2);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UpcastError);
    expect((thrown as UpcastError).code).toBe('SCHEMA_VERSION_NEWER');
  });

  it('two upcasters for one (type, version) are a programming error', () => {
    expect(() => createUpcasting([draftedV1toV2, draftedV1toV2], { ApplicationDrafted: 2 })).toThrow('two upcasters for ApplicationDrafted@1');
  });
});
