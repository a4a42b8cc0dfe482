/**
 * Every transform, crosswalks, defaults and target types, each with a case that maps and a case
 * that fails (the failure names the row, the source field, the exchange field and the value).
 */
import assert from 'node:assert/strict';
import { compileMapping, type MappingProblem } from '../../src/mapping/index.js';

const baseStudent: Record<string, string> = {
  stateStudentId: 'SSID',
  stateStudentIdType: "{ value: '01' }",
  firstName: '{ value: Ana }',
  lastName1: '{ value: Ruiz }',
  sex: '{ value: F }',
  birthDate: "{ value: '2010-01-01' }",
};

type Outcome =
  { value: unknown; errors?: undefined } | { value?: undefined; errors: MappingProblem[] };

/**
 * Maps one CSV row (`cells`: header → value) with `spec` as the mapping of `target`
 * (`student.x` or `courses.x`), and answers the mapped value or the row's problems.
 */
async function mapField(
  target: string,
  spec: string,
  cells: Record<string, string>,
): Promise<Outcome> {
  const [section, name] = target.split('.') as [string, string];
  const student = { ...baseStudent, ...(section === 'student' ? { [name]: spec } : {}) };
  const lines = [
    'format: csv',
    'fields:',
    '  student:',
    ...Object.entries(student).map(([k, v]) => `    ${k}: ${v}`),
  ];
  if (section === 'courses')
    lines.push(
      '  courses:',
      '    each: rows',
      "    title: { value: 'Algebra I' }",
      `    ${name}: ${spec}`,
    );
  const mapping = await compileMapping(lines.join('\n'), 'mappings/t.yaml');
  const header = ['SSID', ...Object.keys(cells)];
  const row = ['S1', ...Object.values(cells)];
  const quote = (v: string) => `"${v.replaceAll('"', '""')}"`;
  const csv = `${header.map(quote).join(',')}\n${row.map(quote).join(',')}\n`;
  for await (const r of mapping.read(Buffer.from(csv), { fileName: 't.csv' })) {
    if (r.kind === 'reject') return { errors: r.errors };
    const from = section === 'student' ? r.document.student : r.document.courses[0];
    return { value: (from as unknown as Record<string, unknown> | undefined)?.[name] };
  }
  throw new Error('no record');
}

async function mapsTo(
  target: string,
  spec: string,
  cells: Record<string, string>,
  expected: unknown,
) {
  assert.deepStrictEqual(await mapField(target, spec, cells), { value: expected });
}

async function fails(target: string, spec: string, cells: Record<string, string>, reason: RegExp) {
  const out = await mapField(target, spec, cells);
  assert.ok(out.errors, `expected a reject, got ${JSON.stringify(out.value)}`);
  assert.equal(out.errors.length, 1, JSON.stringify(out.errors));
  const [problem] = out.errors;
  assert.equal(problem?.row, 2, 'the data row after the header is row 2');
  assert.equal(problem?.target, target.replace('courses.', 'courses[0].'));
  assert.match(problem?.reason ?? '', reason);
  return problem;
}

describe('mapping transforms', () => {
  it('trim, upper, lower, title, stripAccents', async () => {
    await mapsTo('student.firstName', '{ source: N, transforms: [trim] }', { N: '  Ana  ' }, 'Ana');
    await mapsTo(
      'student.firstName',
      '{ source: N, transforms: [upper] }',
      { N: 'Muñoz' },
      'MUÑOZ',
    );
    await mapsTo(
      'student.firstName',
      '{ source: N, transforms: [lower] }',
      { N: 'MUÑOZ' },
      'muñoz',
    );
    await mapsTo(
      'student.firstName',
      '{ source: N, transforms: [title] }',
      { N: "MUÑOZ-PEÑA O'NEIL DE LA O" },
      "Muñoz-Peña O'Neil De La O",
    );
    await mapsTo(
      'student.firstName',
      '{ source: N, transforms: [stripAccents] }',
      { N: 'Ángel Núñez' },
      'Angel Nunez',
    );
    // A value that transforms to nothing is empty, and a required field must not be empty.
    await fails(
      'student.firstName',
      '{ source: N, transforms: [trim] }',
      { N: '   ' },
      /is required but empty after its transforms/,
    );
  });

  it('date with a pattern, and a day the calendar does not have', async () => {
    await mapsTo(
      'student.birthDate',
      '{ source: D, transforms: [{ date: MM/DD/YYYY }] }',
      { D: '02/29/2024' },
      '2024-02-29',
    );
    await mapsTo(
      'student.birthDate',
      '{ source: D, transforms: [{ date: YYYYMMDD }] }',
      { D: '20240229' },
      '2024-02-29',
    );
    await mapsTo(
      'student.birthDate',
      '{ source: D, transforms: [{ date: D.M.YYYY }] }',
      { D: '5.7.2011' },
      '2011-07-05',
    );
    const bad = await fails(
      'student.birthDate',
      '{ source: BIRTH_DATE, transforms: [{ date: MM/DD/YYYY }] }',
      { BIRTH_DATE: '02/30/2024' },
      /is not a real calendar date \(MM\/DD\/YYYY\)/,
    );
    assert.equal(bad?.field, 'BIRTH_DATE');
    assert.equal(bad?.value, '02/30/2024');
    await fails(
      'student.birthDate',
      '{ source: D, transforms: [{ date: MM/DD/YYYY }] }',
      { D: '2024-02-01' },
      /does not match the date pattern MM\/DD\/YYYY/,
    );
    // A date target without a date transform must already be YYYY-MM-DD.
    await fails('student.birthDate', 'D', { D: '2024-02-30' }, /is not a real calendar date/);
    await fails('student.birthDate', 'D', { D: '20240201' }, /is not a date YYYY-MM-DD/);
  });

  it('splitName: LAST1 LAST2, FIRST MIDDLE', async () => {
    const split = (part: string) =>
      `{ source: NAME, transforms: [{ splitName: { format: 'LAST1 LAST2, FIRST MIDDLE', part: ${part} } }] }`;
    const name = { NAME: 'ROSARIO AGUAYO, MARÍA DE JESÚS' };
    await mapsTo('student.lastName1', split('LAST1'), name, 'ROSARIO');
    await mapsTo('student.lastName2', split('LAST2'), name, 'AGUAYO');
    await mapsTo('student.firstName', split('FIRST'), name, 'MARÍA');
    await mapsTo('student.middleName', split('MIDDLE'), name, 'DE JESÚS');
    await mapsTo('student.lastName2', split('LAST2'), { NAME: 'SMITH, JOHN' }, undefined);
    await mapsTo('student.middleName', split('MIDDLE'), { NAME: 'SMITH, JOHN' }, undefined);
    await mapsTo(
      'student.firstName',
      "{ source: N, transforms: [{ splitName: { format: 'FIRST MIDDLE LAST', part: LAST } }] }",
      { N: 'Ana María Ruiz' },
      'Ruiz',
    );
    await fails(
      'student.lastName1',
      split('LAST1'),
      { NAME: 'ROSARIO AGUAYO MARIA' },
      /has no comma/,
    );
    await fails(
      'student.lastName1',
      split('LAST1'),
      { NAME: 'DE LA ROSA, ANA' },
      /has more words than 'LAST1 LAST2' holds/,
    );
    await fails('student.firstName', split('FIRST'), { NAME: 'ROSARIO,' }, /has no first name/);
  });

  it('concat, default, value', async () => {
    await mapsTo(
      'student.firstName',
      "{ source: A, transforms: [{ concat: { sources: [B, C], separator: '-' } }] }",
      { A: 'x', B: '', C: 'z' },
      'x-z',
    );
    await mapsTo(
      'student.middleName',
      '{ source: A, transforms: [{ default: Unknown }] }',
      { A: '' },
      'Unknown',
    );
    await mapsTo(
      'student.middleName',
      '{ source: A, transforms: [{ default: Unknown }] }',
      { A: 'Lu' },
      'Lu',
    );
    await mapsTo(
      'student.middleName',
      '{ source: A, transforms: [{ value: Fixed }] }',
      { A: 'Lu' },
      'Fixed',
    );
    // concat of nothing is nothing: a required field then fails.
    await fails(
      'student.firstName',
      '{ source: A, transforms: [{ concat: { sources: [B] } }] }',
      { A: '', B: '' },
      /is required but empty/,
    );
  });

  it('extract and replace with regular expressions', async () => {
    const phone =
      "{ source: P, transforms: [{ extract: { pattern: '^\\((\\d{3})\\) (\\d{3})-(\\d{4})$', template: '$1-$2-$3' } }] }";
    await mapsTo('student.firstName', phone, { P: '(831) 555-0158' }, '831-555-0158');
    await mapsTo(
      'student.firstName',
      "{ source: P, transforms: [{ extract: '^ID-(\\d+)$' }] }",
      { P: 'ID-0042' },
      '0042',
    );
    await mapsTo(
      'student.firstName',
      "{ source: P, transforms: [{ replace: { pattern: '[^0-9]', with: '' } }] }",
      { P: '(831) 555-0158' },
      '8315550158',
    );
    const bad = await fails('student.firstName', phone, { P: '831.555.0158' }, /does not match \//);
    assert.equal(bad?.value, '831.555.0158');
  });

  it('if / then / else, on the value or on another source field', async () => {
    const spec =
      '{ source: N, transforms: [{ if: { equals: "X" }, then: [{ value: Unknown }], else: [upper] }] }';
    await mapsTo('student.firstName', spec, { N: 'X' }, 'Unknown');
    await mapsTo('student.firstName', spec, { N: 'ana' }, 'ANA');
    const other =
      '{ source: N, transforms: [{ if: { source: LANG, in: [es, pt] }, then: [title] }] }';
    await mapsTo('student.firstName', other, { N: 'JOSÉ', LANG: 'es' }, 'José');
    await mapsTo('student.firstName', other, { N: 'JOSÉ', LANG: 'en' }, 'JOSÉ');
    await mapsTo(
      'student.firstName',
      "{ source: N, transforms: [{ if: { matches: '^\\d+$' }, then: [{ value: Numeric }] }] }",
      { N: '123' },
      'Numeric',
    );
    await fails(
      'student.firstName',
      '{ source: N, transforms: [{ if: { empty: true }, then: [{ value: "" }] }] }',
      { N: '' },
      /is required but empty/,
    );
  });

  it('crosswalks: listed codes map, an unlisted code is an error, null maps to no value', async () => {
    const sex = "{ source: SEX, crosswalk: { '1': M, '2': F, '9': null } }";
    await mapsTo('student.sex', sex, { SEX: '2' }, 'F');
    const bad = await fails(
      'student.sex',
      sex,
      { SEX: 'Z' },
      /code 'Z' is not in the crosswalk \(1, 2, 9\)/,
    );
    assert.equal(bad?.field, 'SEX');
    assert.equal(bad?.value, 'Z');
    // 9 means "not known": no value, and sex is required.
    await fails('student.sex', sex, { SEX: '9' }, /is required but empty/);
    await mapsTo(
      'student.multipleBirth',
      '{ source: T, crosswalk: { Y: true, N: false } }',
      { T: 'N' },
      false,
    );
    await mapsTo(
      'student.multipleBirth',
      '{ source: T, crosswalk: { Y: true, N: false } }',
      { T: '' },
      undefined,
    );
    await fails(
      'student.multipleBirth',
      '{ source: T, crosswalk: { Y: true, N: false } }',
      { T: 'y' },
      /code 'y' is not in the crosswalk/,
    );
  });

  it('a code without a crosswalk must already be an exchange code', async () => {
    await mapsTo('student.birthCountry', 'C', { C: 'MX' }, 'MX');
    await fails('student.birthCountry', 'C', { C: 'MEX' }, /is not a country code/);
    await fails('student.sex', 'S', { S: 'Q' }, /is not a sex code/);
  });

  it('field defaults are exchange values; required can be set on optional fields', async () => {
    await mapsTo('student.birthCountry', '{ source: C, default: US }', { C: '' }, 'US');
    await mapsTo('student.sex', "{ source: S, crosswalk: { '1': M }, default: X }", { S: '' }, 'X');
    await fails(
      'student.middleName',
      '{ source: M, required: true }',
      { M: '' },
      /is required but empty/,
    );
  });

  it('numbers: zero-padded and decimal text, whole numbers where the exchange wants them', async () => {
    await mapsTo('courses.creditsGranted', 'C', { C: '00.50' }, 0.5);
    await mapsTo('courses.beginYear', 'Y', { Y: '2024' }, 2024);
    await mapsTo('courses.clockHours', 'H', { H: '0060' }, 60);
    await fails('courses.beginYear', 'Y', { Y: '2024.5' }, /is not a whole number/);
    await fails('courses.creditsGranted', 'C', { C: 'half' }, /is not a number/);
  });

  it('a transform with wrong arguments is a load error at its line', async () => {
    const transforms = [
      'upper: true',
      'date: 5',
      "date: 'DD/MM/YY'",
      "splitName: { format: 'LAST, FIRST', part: MIDDLE }",
      "splitName: { format: 'FIRST, MIDDLE, LAST', part: FIRST }",
      'concat: { separator: 1 }',
      'concat: { sources: [MISSING_COLUMN] }',
      "extract: '(unclosed'",
      "replace: { pattern: '[', with: '' }",
      'default: { a: 1 }',
      'if: { equals: X, matches: Y }, then: [trim]',
      'if: { empty: 1 }, then: [trim]',
    ];
    const yaml = [
      'format: csv',
      'input: { header: false, columns: [SSID, N] }',
      'fields:',
      '  student:',
      ...Object.entries(baseStudent)
        .filter(([k]) => k !== 'firstName')
        .map(([k, v]) => `    ${k}: ${v}`),
      '    firstName:',
      '      source: N',
      '      transforms:',
      ...transforms.map((t) => `        - { ${t} }`),
    ].join('\n');
    const error = await compileMapping(yaml, 'mappings/t.yaml').then(
      () => assert.fail('compiled'),
      (e: unknown) => e as { problems: { line?: number; path: string; message: string }[] },
    );
    const firstLine = yaml.split('\n').indexOf(`        - { ${transforms[0]} }`) + 1;
    const lines = error.problems.map((p) => (p.line ?? 0) - firstLine);
    assert.deepStrictEqual(
      lines,
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
      JSON.stringify(error.problems, null, 1),
    );
    const messages = error.problems.map((p) => p.message);
    assert.match(messages[0] ?? '', /'upper' takes no argument: write it as upper/);
    assert.match(messages[2] ?? '', /'Y', which is none of YYYY/);
    assert.match(messages[3] ?? '', /part 'MIDDLE' is not in the name format/);
    assert.match(messages[4] ?? '', /more than one comma/);
    assert.match(messages[6] ?? '', /no column 'MISSING_COLUMN'/);
    assert.match(messages[7] ?? '', /not a valid regular expression/);
    assert.match(messages[10] ?? '', /exactly one of equals, in, matches, empty/);
  });

  it('booleans need a crosswalk from the file flags', async () => {
    await fails('student.multipleBirth', 'T', { T: 'Y' }, /is not true or false/);
  });
});
