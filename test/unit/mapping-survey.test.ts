import assert from 'node:assert/strict';
import {
  compileAnyMapping,
  compileMapping,
  loadAnyMapping,
  MappingFileError,
  type MappedSurveyRecord,
} from '../../src/mapping/index.js';

const base = `
version: 1
target: survey-response
format: csv
fields:
  survey: { value: student }
  year: YEAR
  districtId: DISTRICT
  level: { source: GRADE, crosswalk: { '7': grade-7, '9': grade-9, '11': grade-11, '8': grade-8 } }
  migrant: { source: MEP, crosswalk: { Y: true, N: false } }
  answers:
    A1: A1
    A2: { source: Q2, crosswalk: { A: 1, B: 2, C: 3 } }
`;

async function read(yaml: string, csv: string): Promise<MappedSurveyRecord[]> {
  const mapping = await compileAnyMapping(yaml, 'test.yaml');
  assert.equal(mapping.target, 'survey-response');
  if (mapping.target !== 'survey-response') return [];
  const out: MappedSurveyRecord[] = [];
  for await (const r of mapping.read(Buffer.from(csv), { fileName: 'x.csv' })) out.push(r);
  return out;
}

async function problems(yaml: string): Promise<string[]> {
  try {
    await compileAnyMapping(yaml, 'test.yaml');
  } catch (e) {
    assert.ok(e instanceof MappingFileError);
    return e.problems.map((p) => `${p.path}: ${p.message}`);
  }
  return [];
}

describe('mapping: target survey-response', () => {
  it('maps one respondent per row, answers through their crosswalks, empty answers left out', async () => {
    const rows = await read(
      base,
      'YEAR,DISTRICT,GRADE,MEP,A1,Q2\n2025,0699001,9,Y,4,B\n2025,0699001,11,N,,\n',
    );
    assert.deepEqual(rows, [
      {
        kind: 'response',
        row: 2,
        response: {
          survey: 'student',
          year: 2025,
          districtId: '0699001',
          level: 'grade-9',
          migrant: true,
          answers: { A1: 4, A2: 2 },
        },
      },
      {
        kind: 'response',
        row: 3,
        response: {
          survey: 'student',
          year: 2025,
          districtId: '0699001',
          level: 'grade-11',
          migrant: false,
          answers: {},
        },
      },
    ]);
  });

  it('rejects a row whose level is not one of its survey’s, or whose answer is not a number', async () => {
    const rows = await read(
      base,
      'YEAR,DISTRICT,GRADE,MEP,A1,Q2\n2025,0699001,8,Y,4,B\n2025,0699001,7,Y,x,A\n',
    );
    assert.equal(rows[0]!.kind, 'reject');
    assert.match(JSON.stringify(rows[0]), /level.*must be one of grade-7, grade-9, grade-11/);
    assert.equal(rows[1]!.kind, 'reject');
    assert.match(JSON.stringify(rows[1]), /answers\.A1/);
  });

  it('accepts a list of item codes read from columns of the same name', async () => {
    const yaml = base.replace(/answers:[\s\S]*$/, 'answers: [A1, A2]\n');
    const rows = await read(yaml, 'YEAR,DISTRICT,GRADE,MEP,A1,A2\n2025,0699001,7,N,1,5\n');
    assert.deepEqual(rows[0]!.kind === 'response' && rows[0]!.response.answers, { A1: 1, A2: 5 });
  });

  it('names every problem of a survey mapping with its path', async () => {
    const found = await problems(`
version: 1
target: survey-response
format: csv
grouping: { key: ID }
fields:
  survey: { value: student }
  district: DISTRICT
  level: GRADE
  migrant: MEP
  answers: { '1bad': Q1 }
`);
    assert.ok(
      found.some((p) => p.startsWith('grouping: a survey-response mapping')),
      found.join('\n'),
    );
    assert.ok(found.some((p) => /unknown survey-response field 'district'/.test(p)));
    assert.ok(found.some((p) => /year is required for a survey response/.test(p)));
    assert.ok(found.some((p) => /districtId is required/.test(p)));
    assert.ok(found.some((p) => /'1bad' is not an item code/.test(p)));
    assert.deepEqual(await problems(base.replace('target: survey-response', 'target: survey')), [
      'target: must be one of exchange-document, survey-response',
    ]);
  });

  it('is refused where an exchange-document mapping is expected, and exchange mappings are unchanged', async () => {
    await assert.rejects(compileMapping(base, 'test.yaml'), /survey-response/);
    const ca = await loadAnyMapping('mappings/ca-csv.yaml');
    assert.notEqual(ca.target, 'survey-response');
  });

  it('loads the shipped CHKS and CSSS mappings', async () => {
    for (const file of ['mappings/ca-chks-survey.yaml', 'mappings/ca-csss-survey.yaml']) {
      const m = await loadAnyMapping(file);
      assert.equal(m.target, 'survey-response');
      assert.equal(m.state, 'CA');
    }
  });
});
