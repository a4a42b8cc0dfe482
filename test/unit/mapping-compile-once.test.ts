/**
 * A mapping is compiled once into closures: mapping rows never looks at the mapping definition
 * again. The definition is handed to the compiler behind a proxy that counts every access; the
 * count must not move while 10,000 rows are mapped, and changing the definition afterwards must
 * change nothing.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compileDefinition } from '../../src/mapping/compile.js';
import type { MappedRecord } from '../../src/mapping/index.js';
import { MappingSource } from '../../src/mapping/yaml-source.js';

/** `value` behind proxies (all the way down) that count every look at it. */
function counted<T>(value: T, counter: { n: number }): T {
  const cache = new WeakMap<object, unknown>();
  const wrap = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    const known = cache.get(v);
    if (known) return known;
    const proxy = new Proxy(v, {
      get: (t, k, r) => (counter.n++, wrap(Reflect.get(t, k, r))),
      has: (t, k) => (counter.n++, Reflect.has(t, k)),
      ownKeys: (t) => (counter.n++, Reflect.ownKeys(t)),
      getOwnPropertyDescriptor: (t, k) => {
        counter.n++;
        const d = Reflect.getOwnPropertyDescriptor(t, k);
        return d && 'value' in d ? { ...d, value: wrap(d.value) } : d;
      },
    });
    cache.set(v, proxy);
    return proxy;
  };
  return wrap(value) as T;
}

const HEADER =
  '"SSID","SSID_TYPE","LOCAL_STUDENT_ID","STUDENT_NAME","NAME_SUFFIX","SEX","BIRTH_DATE","MULTIPLE_BIRTH","BIRTH_CITY","BIRTH_STATE","BIRTH_COUNTRY","BIRTH_DATE_VERIFICATION","PARENT1_FIRST_NAME","PARENT1_LAST_NAME","PARENT1_PHONE","PARENT1_EMAIL","PARENT2_FIRST_NAME","PARENT2_LAST_NAME","PARENT2_PHONE","PARENT2_EMAIL","QAD","QAD_FROM_CITY","QAD_FROM_STATE","QAD_FROM_COUNTRY","QAD_TO_CITY","ELIGIBILITY_END_DATE","ENROLLMENT_DATE","WITHDRAWAL_DATE","ENROLLMENT_TYPE","DISTRICT_NCES_ID","DISTRICT_NAME","SCHOOL_NCES_ID","SCHOOL_NAME","GRADE","ENGLISH_LEARNER","IEP","PRIORITY_FOR_SERVICES","MEDICAL_ALERT","IMMUNIZATION_RECORD","RESIDENCY_DATE","RESIDENCY_VERIFICATION_DATE","DESIGNATED_GRAD_SCHOOL","GRADUATION_DATE","HSE","COS_REASON","ALGEBRA1","OUT_OF_STATE_TRANSCRIPT","COMMENT"';

/** `rows` CA rows, two per child. */
function caRows(rows: number): Buffer {
  const lines = [HEADER];
  for (let i = 0; i < rows; i++) {
    const id = String(1_000_000_000 + Math.floor(i / 2));
    const enrolled = i % 2 === 0 ? '08/20/2024' : '01/06/2025';
    lines.push(
      `"${id}","SSID","","ROSARIO AGUAYO, MARÍA DE JESÚS","","2","10/30/2014","N","Oxnard","CA","UNITED STATES","BC","ISABEL","AGUAYO","(831) 555-0158","isabel@example.org","","","","","08/01/2024","Hood River","OR","UNITED STATES","Oxnard","07/31/2027","${enrolled}","","Regular","0699004","Las Brisas USD","069900490001","Las Brisas Elementary","4","Y","N","Y","N","Y","","","","","","","","",""`,
    );
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n`);
}

async function count(
  it: AsyncIterable<MappedRecord>,
): Promise<{ documents: number; rejects: number; first?: MappedRecord }> {
  let documents = 0;
  let rejects = 0;
  let first: MappedRecord | undefined;
  for await (const r of it) {
    first ??= r;
    if (r.kind === 'document') documents++;
    else rejects++;
  }
  return { documents, rejects, ...(first ? { first } : {}) };
}

describe('compile once', () => {
  it('maps 10,000 rows without looking at the mapping definition again', async () => {
    const text = readFileSync('mappings/ca-csv.yaml', 'utf8');
    const source = new MappingSource(text, 'mappings/ca-csv.yaml');
    const counter = { n: 0 };
    const definition = counted(source.value, counter);
    const mapping = await compileDefinition(source, definition, 'ca-csv', 'mappings');
    const atCompile = counter.n;
    assert.ok(atCompile > 200, `the compiler read the definition (${atCompile} looks)`);

    const result = await count(mapping.read(caRows(10_000), { fileName: 'big.csv' }));
    assert.deepStrictEqual([result.documents, result.rejects], [5_000, 0]);
    assert.equal(counter.n, atCompile, 'no look at the definition while mapping rows');

    // Changing the definition after compiling changes nothing: the closures hold what they need.
    const raw = source.value as {
      fields: { student: { sex: { crosswalk: Record<string, string> } } };
    };
    raw.fields.student.sex.crosswalk['2'] = 'M';
    const again = await count(mapping.read(caRows(2), { fileName: 'small.csv' }));
    assert.equal(again.first?.kind === 'document' && again.first.document.student.sex, 'F');
  }).timeout(20_000);
});
