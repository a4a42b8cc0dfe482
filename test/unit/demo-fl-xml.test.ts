import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { create } from 'xmlbuilder2';
import type { ExchangeDocument } from '../../src/exchange/types.js';
import { generateDemoDataset } from '../../src/demo/dataset.js';
import { FL_NAMESPACE, FL_SCHEMA_FILE, flCodes, writeFlXml } from '../../src/demo/fl-xml.js';

const dataset = generateDemoDataset({ children: 200, seed: 2026, today: '2025-11-03' });
const docs = dataset.byState.FL;
const bytes = writeFlXml(docs, { extractDate: dataset.today });
const xml = bytes.toString('utf8');

/**
 * A strict well-formedness check for what the writer emits (elements, attributes, text, the five
 * predefined entities and character references; no DTD). xmlbuilder2's own parser is lenient.
 */
function assertWellFormed(text: string): void {
  const decl = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/;
  assert.match(text, decl);
  let rest = text.replace(decl, '');
  const stack: string[] = [];
  let roots = 0;
  const name = '[A-Za-z_][\\w.-]*';
  const attr = `\\s+${name}="[^"<&]*(?:&(?:amp|lt|gt|quot|apos|#\\d+);[^"<&]*)*"`;
  const open = new RegExp(`^<(${name})((?:${attr})*)\\s*(/?)>`);
  const close = new RegExp(`^</(${name})\\s*>`);
  const chars = /^[^<&]+|^&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/;
  while (rest.length > 0) {
    let m: RegExpExecArray | null;
    if ((m = close.exec(rest))) {
      assert.equal(stack.pop(), m[1], `mismatched </${m[1]}>`);
    } else if ((m = open.exec(rest))) {
      if (stack.length === 0) roots++;
      const names = [...(m[2] ?? '').matchAll(new RegExp(`(${name})=`, 'g'))].map((a) => a[1]);
      assert.equal(new Set(names).size, names.length, `repeated attribute in <${m[1]}>`);
      if (m[3] !== '/') stack.push(m[1] as string);
    } else if ((m = chars.exec(rest))) {
      if (stack.length === 0) assert.match(m[0], /^\s+$/, 'text outside the root');
    } else {
      assert.fail(`not well-formed near ${JSON.stringify(rest.slice(0, 40))}`);
    }
    rest = rest.slice(m[0].length);
  }
  assert.deepEqual(stack, [], 'unclosed elements');
  assert.equal(roots, 1, 'one root element');
}

type Node = Record<string, unknown>;
const list = (v: unknown): Node[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]) as Node[];
const str = (v: unknown) => (v === undefined ? undefined : String(v));
const bool = (v: unknown) => (v === undefined ? undefined : v === 'true');
const num = (v: unknown) => (v === undefined ? undefined : Number(v));
const invert = (table: Readonly<Record<string, string>>) =>
  Object.fromEntries(Object.entries(table).map(([k, v]) => [v, k]));
const code = (table: Readonly<Record<string, string>>, v: unknown) =>
  v === undefined ? undefined : invert(table)[String(v)];

/** A reverse mapping written from the README alone. */
function readBack(): ExchangeDocument[] {
  const tree = create(xml).end({ format: 'object' }) as Node;
  const root = tree.MigrantStudentExtract as Node;
  const types = { ...flCodes.enrollmentType, intersession: flCodes.intersession };
  return list(root.Student).map((s) => {
    const name = s.Name as Node;
    const place = (s.BirthPlace ?? {}) as Node;
    const id = s.StudentId as Node;
    const guardians = list((s.Guardians as Node | undefined)?.Guardian);
    const parent = (n: string) => {
      const g = guardians.find((x) => x['@sequence'] === n);
      return (
        g && {
          firstName: str(g.FirstName),
          lastName: str(g.LastName),
          email: str(g.Email),
          phone: str(g.Phone),
        }
      );
    };
    return {
      student: {
        stateStudentId: String(id['#']),
        stateStudentIdType: code(flCodes.idType, id['@idType']),
        alternateIds: s.LocalId ? [{ id: String(s.LocalId), type: 'district' }] : undefined,
        firstName: str(name.FirstName),
        middleName: str(name.MiddleName),
        lastName1: str(name.PaternalSurname),
        lastName2: str(name.MaternalSurname),
        suffix: str(name.Suffix),
        sex: code(flCodes.sex, s.Gender),
        birthDate: str(s.BirthDate),
        multipleBirth: bool(s.MultipleBirth),
        birthCity: str(place.City),
        birthState: str(place.State),
        birthCountry: str(place.Country),
        birthDateVerification: str(s.BirthDateVerification),
        parent1: parent('1'),
        parent2: parent('2'),
      },
      qualifyingMoves: list((s.QualifyingMoves as Node).QualifyingMove).map((m) => {
        const from = (m.From ?? {}) as Node;
        const to = m.To as Node;
        return {
          qualifyingArrivalDate: str(m.ArrivalDate),
          fromCity: str(from.City),
          fromState: str(from.State),
          fromCountry: str(from.Country),
          toCity: str(to.City),
          toState: str(to.State),
          eligibilityExpirationDate: str(m.EligibilityExpirationDate),
        };
      }),
      enrollments: list((s.Enrollments as Node).Enrollment).map((e) => {
        const district = (e.District ?? {}) as Node;
        const school = (e.School ?? {}) as Node;
        const type = code(types, e.EnrollmentType);
        return {
          enrollmentDate: str(e.EntryDate),
          withdrawalDate: str(e.WithdrawalDate),
          enrollmentType: type === 'intersession' ? '03' : type,
          schoolId: str(school.NcesId),
          schoolName: str(school.Name),
          districtId: str(district.NcesId),
          districtName: str(district.Name),
          grade: code(flCodes.grade, e.GradeLevel),
          englishLearner: bool(e.EnglishLearner),
          iep: bool(e.IEP),
          priorityForServices: bool(e.PriorityForServices),
          medicalAlert: code(flCodes.medicalAlert, e.MedicalAlert),
          immunizationRecord: bool(e.ImmunizationRecord),
          residencyDate: str(e.ResidencyDate),
          residencyVerificationDate: str(e.ResidencyVerificationDate),
          designatedGraduationSchool: str(e.DesignatedGraduationSchool),
          graduationDate: str(e.GraduationDate),
          hse: bool(e.HighSchoolEquivalency),
          continuationOfServicesReason: code(
            flCodes.continuationOfServices,
            e.ContinuationOfServices,
          ),
          algebra1: bool(e.Algebra1),
          outOfStateTranscript: bool(e.OutOfStateTranscript),
          comment: str(e.Comment),
        };
      }),
      courses: list((s.Courses as Node | undefined)?.Course).map((c) => ({
        title: str(c.Title),
        subjectArea: str(c.SubjectArea),
        courseType: code(flCodes.courseType, c.CourseType),
        beginYear: num(c.BeginYear),
        endYear: num(c.EndYear),
        section: code(flCodes.section, c.Section),
        termType: code(flCodes.termType, c.TermType),
        clockHours: num(c.ClockHours),
        gradeToDate: str(c.GradeToDate),
        creditsGranted: num(c.CreditsEarned),
        finalGrade: str(c.FinalGrade),
        inProgress: bool(c.InProgress),
      })),
      assessments: list((s.Assessments as Node | undefined)?.Assessment).map((a) => ({
        title: str(a.Name),
        content: str(a.Content),
        type: str(a.Type),
        administrationDate: str(a.AdministrationDate),
        reportingMethod: str(a.ReportingMethod),
        score: str(a.Score),
        interpretation: str(a.Interpretation),
      })),
    } as unknown as ExchangeDocument;
  });
}

const clean = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function onPath(command: string): boolean {
  return spawnSync(command, ['--version'], { stdio: 'ignore' }).error === undefined;
}

/** The JDK's own XSD 1.0 validator, as a single-file program (java 11+ runs source directly). */
const javaValidator = `
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import java.io.File;
public class Validate {
  public static void main(String[] args) throws Exception {
    SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(new File(args[0]))
      .newValidator().validate(new StreamSource(new File(args[1])));
  }
}`;

describe('demo FL XML', () => {
  it('is well-formed UTF-8 XML', () => {
    assertWellFormed(xml);
    assert.ok(Buffer.from(xml, 'utf8').equals(bytes));
    assert.ok(/[ñáéíóú]/.test(xml), 'accented names stay as UTF-8 text');
  });

  it('puts every element in the default namespace', () => {
    assert.match(xml, new RegExp(`<MigrantStudentExtract xmlns="${FL_NAMESPACE}"`));
    const root = create(xml).root();
    let elements = 0;
    root.each(
      (n) => {
        if (n.node.nodeType === 1) {
          elements++;
          assert.equal((n.node as unknown as { namespaceURI: string }).namespaceURI, FL_NAMESPACE);
        }
      },
      false,
      true,
    );
    assert.ok(elements > 1000);
  });

  it('nests enrollments, courses and assessments inside each Student', () => {
    const tree = create(xml).end({ format: 'object' }) as Node;
    const root = tree.MigrantStudentExtract as Node;
    assert.equal(root['@recordCount'], String(docs.length));
    assert.equal(root['@extractDate'], '2025-11-03');
    const students = list(root.Student);
    assert.equal(students.length, docs.length);
    assert.ok(students.every((s) => s.Enrollments && s.QualifyingMoves));
    assert.ok(students.some((s) => s.Courses) && students.some((s) => s.Assessments));
    assert.match(xml, /<BirthDate>\d{4}-\d{2}-\d{2}<\/BirthDate>/);
  });

  it('reads back, by the README, to exactly the canonical documents', () => {
    assert.deepEqual(clean(readBack()), clean([...docs]));
  });

  it('validates against mappings/schemas/fl-migrant-v1.xsd', function () {
    const schema = path.resolve(FL_SCHEMA_FILE);
    const dir = mkdtempSync(path.join(tmpdir(), 'continuum-fl-'));
    try {
      const file = path.join(dir, 'fl.xml');
      writeFileSync(file, bytes);
      const bad = path.join(dir, 'bad.xml');
      writeFileSync(bad, xml.replace('<Gender>Female</Gender>', '<Gender>F</Gender>'));
      let validate: (f: string) => void;
      if (onPath('xmllint')) {
        validate = (f) =>
          execFileSync('xmllint', ['--noout', '--schema', schema, f], { stdio: 'pipe' });
      } else if (onPath('java')) {
        const source = path.join(dir, 'Validate.java');
        writeFileSync(source, javaValidator);
        validate = (f) => execFileSync('java', [source, schema, f], { stdio: 'pipe' });
      } else {
        // Neither validator on this machine: the schema is checked where one is.
        this.skip();
      }
      this.timeout(60_000);
      validate(file);
      assert.throws(() => validate(bad), 'a wrong code must fail, or the check proves nothing');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
