import { catalogue, catalogueEntry, CODES, problemCodeOf, problemTypeOf } from './index';

describe('the problem catalogue', () => {
  it("names a problem by its own code when the table has it, else by its kind, else by its status's kind", () => {
    expect(problemCodeOf(422, 'FOUR_EYES')).toBe('FOUR_EYES');
    expect(problemCodeOf(400, undefined, 'VALIDATION_FAILED')).toBe('VALIDATION_FAILED');
    expect(problemCodeOf(400, 'FST_ERR_CTP_INVALID_MEDIA_TYPE')).toBe('MALFORMED_REQUEST');
    expect(problemCodeOf(418)).toBe('MALFORMED_REQUEST');
    expect(problemCodeOf(502)).toBe('INTERNAL_ERROR');
  });

  it('resolves every status a problem can have to an entry of the table', () => {
    for (let status = 400; status < 600; status++) expect([status, catalogueEntry(problemCodeOf(status))?.code]).toEqual([status, problemCodeOf(status)]);
  });

  it('lists the one table, each entry Latvian first, with its type', () => {
    expect(catalogue()).toHaveLength(Object.keys(CODES).length);
    expect(catalogueEntry('FOUR_EYES')).toEqual({ code: 'FOUR_EYES', type: problemTypeOf('FOUR_EYES'), lv: CODES.FOUR_EYES.lv, en: CODES.FOUR_EYES.en });
    expect(problemTypeOf('FOUR_EYES')).toBe('/problems/FOUR_EYES');
    // Not an entry: an inherited property of an object is no code.
    expect(catalogueEntry('constructor')).toBeUndefined();
    expect(catalogueEntry('toString')).toBeUndefined();
  });
});
