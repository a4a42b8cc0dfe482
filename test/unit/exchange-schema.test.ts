import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { codeSets, codesOf, type CodeSetName } from '../../src/exchange/code-sets.js';
import { completeExampleDocument, type Complete } from '../../src/exchange/example-document.js';
import {
  exchangeDocumentJsonSchema as schema,
  exchangeSchemaId,
  type JsonSchema,
} from '../../src/exchange/json-schema.js';
import type {
  AlternateId,
  Assessment,
  Course,
  Enrollment,
  ExchangeDocument,
  Parent,
  QualifyingMove,
  Student,
} from '../../src/exchange/types.js';

/** The keys of T that are not optional. */
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
/** Exactly the required keys of T: tsc fails on a missing or an extra one. */
type RequiredKeySet<T> = Record<RequiredKeys<T>, true>;

// If types.ts changes which fields are required, these stop compiling.
const requiredByType = {
  '': { student: true, qualifyingMoves: true, enrollments: true, courses: true, assessments: true },
  student: {
    stateStudentId: true,
    stateStudentIdType: true,
    firstName: true,
    lastName1: true,
    sex: true,
    birthDate: true,
  },
  'student.alternateIds[]': { id: true, type: true },
  'student.parent1': {},
  'student.parent2': {},
  'qualifyingMoves[]': { qualifyingArrivalDate: true, toState: true },
  'enrollments[]': { enrollmentDate: true, enrollmentType: true, grade: true },
  'courses[]': { title: true },
  'assessments[]': { title: true },
} satisfies {
  '': RequiredKeySet<ExchangeDocument>;
  student: RequiredKeySet<Student>;
  'student.alternateIds[]': RequiredKeySet<AlternateId>;
  'student.parent1': RequiredKeySet<Parent>;
  'student.parent2': RequiredKeySet<Parent>;
  'qualifyingMoves[]': RequiredKeySet<QualifyingMove>;
  'enrollments[]': RequiredKeySet<Enrollment>;
  'courses[]': RequiredKeySet<Course>;
  'assessments[]': RequiredKeySet<Assessment>;
};

// Fails to compile when the example leaves out a field of types.ts or has one types.ts lacks.
const complete: Complete<ExchangeDocument> = completeExampleDocument;

function resolve(node: JsonSchema): JsonSchema {
  if (node.$ref === undefined) return node;
  const name = node.$ref.replace('#/$defs/', '');
  const target = schema.$defs?.[name];
  assert.ok(target, `unresolved ${node.$ref}`);
  return { ...resolve(target), ...node, $ref: undefined };
}

interface ObjectNode {
  path: string;
  node: JsonSchema;
}

/** Every object schema in the document, by the path of the value it describes. */
function objectNodes(node: JsonSchema = schema, path = ''): ObjectNode[] {
  const resolved = resolve(node);
  if (resolved.type === 'array' && resolved.items) return objectNodes(resolved.items, `${path}[]`);
  if (resolved.type !== 'object') return [];
  const children = Object.entries(resolved.properties ?? {}).flatMap(([key, child]) =>
    objectNodes(child, path === '' ? key : `${path}.${key}`),
  );
  return [{ path, node: resolved }, ...children];
}

/** Every leaf and branch path of the schema, e.g. `enrollments[].grade`. */
function schemaPaths(): string[] {
  return objectNodes()
    .flatMap(({ path, node }) =>
      Object.keys(node.properties ?? {}).map((k) => (path === '' ? k : `${path}.${k}`)),
    )
    .sort();
}

function valuePaths(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) {
    assert.ok(value.length > 0, `${path} should have an item in the complete example`);
    return [...new Set(value.flatMap((item) => valuePaths(item, `${path}[]`)))];
  }
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const childPath = path === '' ? key : `${path}.${key}`;
    return [childPath, ...valuePaths(child, childPath)];
  });
}

describe('exchange JSON Schema', () => {
  it('is a draft 2020-12 schema with a stable $id', () => {
    assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
    assert.equal(schema.$id, 'https://continuum.example/schema/exchange.json');
    assert.equal(schema.$id, exchangeSchemaId);
    assert.deepEqual(JSON.parse(JSON.stringify(schema)), schema, 'plain JSON, nothing lost');
  });

  it('compiles under ajv strict mode', () => {
    const ajv = new Ajv2020({ strict: true });
    ajv.addKeyword('x-code-set');
    ajv.addFormat('date', true);
    ajv.addFormat('email', true);
    assert.equal(ajv.validate(schema, completeExampleDocument), true, ajv.errorsText());
  });

  it('has exactly the fields of types.ts (compared with a fully populated typed document)', () => {
    assert.deepEqual(schemaPaths(), valuePaths(complete).sort());
  });

  it('requires exactly the fields types.ts requires', () => {
    const byPath = new Map(objectNodes().map(({ path, node }) => [path, node]));
    assert.deepEqual([...byPath.keys()].sort(), Object.keys(requiredByType).sort());
    for (const [path, keys] of Object.entries(requiredByType)) {
      assert.deepEqual(
        [...(byPath.get(path)?.required ?? [])].sort(),
        Object.keys(keys).sort(),
        path,
      );
    }
  });

  it('closes every object (additionalProperties: false)', () => {
    for (const { path, node } of objectNodes()) {
      assert.equal(node.additionalProperties, false, path || '(document)');
    }
  });

  it('gives every property, object and definition a title and a description', () => {
    const check = (where: string, node: JsonSchema) => {
      assert.ok(node.title && node.title.length > 0, `${where} has a title`);
      assert.ok(node.description && node.description.length > 10, `${where} has a description`);
    };
    check('(document)', schema);
    for (const { path, node } of objectNodes()) {
      for (const [key, property] of Object.entries(node.properties ?? {})) {
        check(path === '' ? key : `${path}.${key}`, property);
      }
    }
    for (const [name, def] of Object.entries(schema.$defs ?? {})) check(`$defs.${name}`, def);
  });

  it('builds its enums from the code sets, one definition per set', () => {
    for (const name of Object.keys(codeSets) as CodeSetName[]) {
      const def = schema.$defs?.[name];
      assert.ok(def, `$defs.${name}`);
      assert.deepEqual(def.enum, codesOf(codeSets[name]), name);
      assert.equal(def['x-code-set'], name);
      assert.ok(def.description?.includes(codeSets[name].source), `${name} cites its source`);
    }
    const enumDefs = Object.entries(schema.$defs ?? {}).filter(([, d]) => d.enum !== undefined);
    assert.deepEqual(enumDefs.map(([n]) => n).sort(), Object.keys(codeSets).sort());
  });

  it('ties each coded field to its code set', () => {
    const expected: Record<string, CodeSetName> = {
      'student.stateStudentIdType': 'stateStudentIdType',
      'student.sex': 'sex',
      'student.birthState': 'state',
      'student.birthCountry': 'country',
      'student.birthDateVerification': 'birthDateVerification',
      'qualifyingMoves[].fromState': 'state',
      'qualifyingMoves[].fromCountry': 'country',
      'qualifyingMoves[].toState': 'state',
      'enrollments[].enrollmentType': 'enrollmentType',
      'enrollments[].grade': 'gradeLevel',
      'enrollments[].medicalAlert': 'medicalAlert',
      'enrollments[].continuationOfServicesReason': 'continuationOfServicesReason',
      'courses[].courseType': 'courseType',
      'courses[].section': 'courseSection',
      'courses[].termType': 'termType',
    };
    const actual: Record<string, string> = {};
    for (const { path, node } of objectNodes()) {
      for (const [key, property] of Object.entries(node.properties ?? {})) {
        const name = property.$ref?.replace('#/$defs/', '');
        if (name !== undefined && name in codeSets) actual[`${path}.${key}`] = name;
      }
    }
    assert.deepEqual(actual, expected);
  });

  it('writes every date as a calendar-date string', () => {
    const dates = objectNodes().flatMap(({ path, node }) =>
      Object.entries(node.properties ?? {})
        .filter(([, p]) => p.$ref === '#/$defs/isoDate')
        .map(([k]) => `${path}.${k}`),
    );
    assert.deepEqual(dates.sort(), [
      'assessments[].administrationDate',
      'enrollments[].enrollmentDate',
      'enrollments[].graduationDate',
      'enrollments[].residencyDate',
      'enrollments[].residencyVerificationDate',
      'enrollments[].withdrawalDate',
      'qualifyingMoves[].eligibilityExpirationDate',
      'qualifyingMoves[].qualifyingArrivalDate',
      'student.birthDate',
    ]);
    assert.equal(schema.$defs?.isoDate?.format, 'date');
  });
});
