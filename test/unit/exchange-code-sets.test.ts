import assert from 'node:assert/strict';
import {
  birthDateVerifications,
  codeSets,
  codesOf,
  continuationOfServicesReasons,
  countries,
  courseSections,
  courseTypes,
  enrollmentTypes,
  entryOf,
  gradeLevels,
  isCode,
  sexes,
  states,
  stateStudentIdTypes,
  termTypes,
  type CodeSet,
} from '../../src/exchange/code-sets.js';

function unique(values: readonly (string | undefined)[]): boolean {
  return new Set(values).size === values.length;
}

describe('exchange code sets', () => {
  it('are well formed: named as keyed, sourced, unique codes with descriptions', () => {
    for (const [key, set] of Object.entries(codeSets) as [string, CodeSet][]) {
      assert.equal(set.name, key);
      assert.ok(set.source.length > 20, `${key} cites a source`);
      assert.ok(set.entries.length > 0, `${key} has entries`);
      assert.ok(unique(codesOf(set)), `${key} codes are unique`);
      for (const e of set.entries) {
        assert.ok(e.code.length > 0 && e.code.trim() === e.code, `${key} ${e.code}`);
        assert.ok(e.description.length > 0, `${key} ${e.code} has a description`);
      }
    }
  });

  it('keep the grade levels of DESIGN section 4 (P0-P5, KG, 01-12, UG, OS)', () => {
    assert.deepEqual(codesOf(gradeLevels), [
      ...['P0', 'P1', 'P2', 'P3', 'P4', 'P5', 'KG'],
      ...Array.from({ length: 12 }, (_, i) => String(i + 1).padStart(2, '0')),
      'UG',
      'OS',
    ]);
  });

  it('code enrollment types as CEDS/MSIX do, 03 being summer or intersession', () => {
    assert.deepEqual(codesOf(enrollmentTypes), ['01', '02', '03', '04', '05', '06']);
    assert.match(entryOf(enrollmentTypes, '03')!.description, /summer or intersession/i);
    assert.match(entryOf(enrollmentTypes, '06')!.description, /residency only/i);
  });

  it('give continuation of services reasons 01-03 in the order of ESEA 1304(e)(1)-(3)', () => {
    assert.deepEqual(codesOf(continuationOfServicesReasons), ['01', '02', '03']);
    ['(e)(1)', '(e)(2)', '(e)(3)'].forEach((clause, i) => {
      assert.ok(continuationOfServicesReasons.entries[i]!.description.includes(clause));
    });
    assert.match(entryOf(continuationOfServicesReasons, '02')!.description, /comparable services/);
    assert.match(entryOf(continuationOfServicesReasons, '03')!.description, /credit accrual/);
  });

  it('use the NCES birth date verification codes (life insurance 2382, other 3423/3424/9999)', () => {
    assert.equal(entryOf(birthDateVerifications, '2382')!.description, 'Life insurance policy');
    assert.equal(entryOf(birthDateVerifications, '3423')!.description, 'Other official document');
    assert.equal(
      entryOf(birthDateVerifications, '3424')!.description,
      'Other non-official document',
    );
    assert.equal(entryOf(birthDateVerifications, '1004')!.description, 'Birth certificate');
    assert.ok(codesOf(birthDateVerifications).every((c) => /^[0-9]{4}$/.test(c)));
  });

  it('use 4-digit NCES session codes for term types and 2-character codes for sections', () => {
    assert.ok(codesOf(termTypes).every((c) => /^[0-9]{4}$/.test(c)));
    assert.equal(entryOf(termTypes, '0827')!.ceds, 'FullSchoolYear');
    assert.equal(entryOf(termTypes, '0833')!.description, 'Summer term');
    assert.deepEqual(codesOf(courseSections), ['01', '02', '03']);
    assert.deepEqual(codesOf(stateStudentIdTypes), ['01', '02']);
  });

  it('carry the CEDS code of every course type and the source values of sex', () => {
    for (const e of courseTypes.entries) assert.match(e.ceds ?? '', /^[0-9]{5}$/, e.code);
    assert.ok(unique(courseTypes.entries.map((e) => e.ceds)));
    assert.deepEqual(
      sexes.entries.map((e) => [e.code, e.msix, e.ceds]),
      [
        ['F', 'Female', 'Female'],
        ['M', 'Male', 'Male'],
        ['X', undefined, 'NotSelected'],
      ],
    );
  });

  it('list the USPS codes of the 50 states, DC, Puerto Rico and the outlying areas', () => {
    const byKind = (kind: string) =>
      states.entries.filter((e) => e.kind === kind).map((e) => e.code);
    assert.equal(byKind('state').length, 50);
    assert.deepEqual(byKind('federal district'), ['DC']);
    assert.deepEqual(byKind('territory').sort(), ['AS', 'GU', 'MP', 'PR', 'VI']);
    assert.deepEqual(byKind('freely associated state').sort(), ['FM', 'MH', 'PW']);
    assert.ok(codesOf(states).every((c) => /^[A-Z]{2}$/.test(c)));
    assert.ok(states.entries.every((e) => /^[0-9]{2}$/.test(e.fips ?? '')));
    assert.ok(unique(states.entries.map((e) => e.fips)));
    assert.equal(entryOf(states, 'CA')!.fips, '06');
    assert.equal(entryOf(states, 'TX')!.fips, '48');
  });

  it('list every country and territory of the Americas, with alpha-2 codes and alpha-3 twins', () => {
    const americas = [
      // North America
      ...['CA', 'US', 'MX', 'BM', 'GL', 'PM'],
      // Central America
      ...['BZ', 'CR', 'SV', 'GT', 'HN', 'NI', 'PA'],
      // Caribbean
      ...['AI', 'AG', 'AW', 'BS', 'BB', 'BQ', 'VG', 'KY', 'CU', 'CW', 'DM', 'DO', 'GD', 'GP'],
      ...['HT', 'JM', 'MQ', 'MS', 'PR', 'BL', 'KN', 'LC', 'MF', 'VC', 'SX', 'TT', 'TC', 'VI'],
      // South America
      ...['AR', 'BO', 'BV', 'BR', 'CL', 'CO', 'EC', 'FK', 'GF', 'GY', 'PY', 'PE', 'GS', 'SR'],
      ...['UY', 'VE'],
    ];
    assert.equal(americas.length, 57);
    for (const code of americas) assert.ok(isCode(countries, code), code);
    for (const code of ['PH', 'VN', 'CN', 'IN']) assert.ok(isCode(countries, code), code);
    assert.ok(codesOf(countries).every((c) => /^[A-Z]{2}$/.test(c)));
    assert.ok(countries.entries.every((e) => /^[A-Z]{3}$/.test(e.iso3 ?? '')));
    assert.ok(unique(countries.entries.map((e) => e.iso3)));
    assert.equal(entryOf(countries, 'MX')!.iso3, 'MEX');
    assert.equal(entryOf(countries, 'GT')!.description, 'Guatemala');
    assert.equal(entryOf(countries, 'KY')!.iso3, 'CYM');
  });

  it('answer membership and lookups', () => {
    assert.equal(isCode(gradeLevels, 'KG'), true);
    assert.equal(isCode(gradeLevels, 'kg'), false);
    assert.equal(entryOf(gradeLevels, '13'), undefined);
  });
});
