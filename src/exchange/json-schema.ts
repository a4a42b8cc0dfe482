/**
 * The common exchange document (types.ts) as JSON Schema draft 2020-12, served at
 * /api/v1/schema/exchange.json. Enums are built from code-sets.ts, so they cannot drift from the
 * TypeScript unions; test/unit/exchange-schema.test.ts checks that every property here is a field
 * of types.ts and the other way round, with the same required fields.
 *
 * String lengths follow the MSIX Minimum Data Elements where they set one (State Student ID 15,
 * enrollment comment 1000) and otherwise the store's columns (src/store/migrations), so that a
 * document that validates can always be stored.
 */
import { codeSets, codesOf, type CodeSetName } from './code-sets.js';

/** The subset of JSON Schema this module writes (and the tests walk). */
export interface JsonSchema {
  $schema?: string;
  $id?: string;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  title?: string;
  description?: string;
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  items?: JsonSchema;
  minItems?: number;
  enum?: string[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  /** Names the code set behind an enum (an annotation; validators ignore it). */
  'x-code-set'?: CodeSetName;
}

export const exchangeSchemaId = 'https://continuum.example/schema/exchange.json';

type Described = { title: string; description: string };

function text(title: string, description: string, maxLength: number): JsonSchema {
  return { title, description, type: 'string', minLength: 1, maxLength };
}

function date(title: string, description: string): JsonSchema {
  return { title, description, $ref: '#/$defs/isoDate' };
}

function flag(title: string, description: string): JsonSchema {
  return { title, description, type: 'boolean' };
}

function code(name: CodeSetName, title: string, description: string): JsonSchema {
  return { title, description, $ref: `#/$defs/${name}` };
}

function object(
  { title, description }: Described,
  properties: Record<string, JsonSchema>,
  required: string[],
): JsonSchema {
  return {
    title,
    description,
    type: 'object',
    properties,
    required,
    additionalProperties: false,
  };
}

function list(title: string, description: string, itemDef: string, minItems = 0): JsonSchema {
  const schema: JsonSchema = {
    title,
    description,
    type: 'array',
    items: { $ref: `#/$defs/${itemDef}` },
  };
  if (minItems > 0) schema.minItems = minItems;
  return schema;
}

function codeSetDefs(): Record<string, JsonSchema> {
  const defs: Record<string, JsonSchema> = {};
  for (const [name, set] of Object.entries(codeSets) as [
    CodeSetName,
    (typeof codeSets)[CodeSetName],
  ][]) {
    defs[name] = {
      title: `${name} code`,
      description:
        `A code of the ${name} code set. Source: ${set.source}.` +
        (set.entries.length <= 25
          ? ` Codes: ${set.entries.map((e) => `${e.code} ${e.description}`).join('; ')}.`
          : ''),
      type: 'string',
      enum: codesOf(set),
      'x-code-set': name,
    };
  }
  return defs;
}

const parent = object(
  {
    title: 'Parent or guardian',
    description: 'A parent, guardian or person in loco parentis (MDE "Parent 1" / "Parent 2").',
  },
  {
    firstName: text('First name', "The parent's or guardian's first name.", 255),
    lastName: text('Last name', "The parent's or guardian's last name.", 255),
    email: {
      ...text('E-mail address', "The parent's or guardian's e-mail address.", 255),
      format: 'email',
    },
    phone: text('Telephone number', "The parent's or guardian's telephone number.", 50),
  },
  [],
);

const alternateId = object(
  { title: 'Alternate identifier', description: 'Another identifier the child is known by.' },
  {
    id: text('Identifier', 'The identifier itself.', 50),
    type: text('Identifier type', 'What issued the identifier, e.g. district, msix, program.', 50),
  },
  ['id', 'type'],
);

const student = object(
  {
    title: 'Student',
    description:
      'Who the child is: identifiers, names, birth and parents (MDE student demographics).',
  },
  {
    stateStudentId: text(
      'State student identifier',
      'The identifier the submitting state gives the child (MDE "State Student Identifier", at most 15 characters).',
      15,
    ),
    stateStudentIdType: code(
      'stateStudentIdType',
      'State student identifier type',
      'Whether the state or its migrant education program assigned the identifier.',
    ),
    alternateIds: list('Alternate identifiers', 'Other identifiers of the child.', 'alternateId'),
    firstName: text('First name', "The child's legal first name.", 255),
    middleName: text('Middle name', "The child's middle name.", 255),
    lastName1: text('Last name 1', "The child's paternal (first) surname.", 255),
    lastName2: text(
      'Last name 2',
      "The child's maternal (second) surname, when there is one.",
      255,
    ),
    suffix: text('Suffix', 'A generation suffix, e.g. Jr., III.', 20),
    sex: code('sex', 'Sex', "The child's sex."),
    birthDate: date('Birth date', 'The day the child was born.'),
    multipleBirth: flag('Multiple birth', 'True when the child is a twin, triplet, etc.'),
    birthCity: text('Birth city', 'The city where the child was born.', 255),
    birthState: code(
      'state',
      'Birth state',
      'The U.S. state or outlying area where the child was born.',
    ),
    birthCountry: code('country', 'Birth country', 'The country where the child was born.'),
    birthDateVerification: code(
      'birthDateVerification',
      'Birth date verification',
      'The evidence that verified the birth date.',
    ),
    // Written out twice rather than as a $ref so that each carries its own title.
    parent1: { ...parent, title: 'Parent 1' },
    parent2: { ...parent, title: 'Parent 2' },
  },
  ['stateStudentId', 'stateStudentIdType', 'firstName', 'lastName1', 'sex', 'birthDate'],
);

const qualifyingMove = object(
  {
    title: 'Qualifying move',
    description: 'A move that made the child eligible for the Migrant Education Program.',
  },
  {
    qualifyingArrivalDate: date(
      'Qualifying arrival date (QAD)',
      'The day the child completed the qualifying move (arrived with, or to join, the worker).',
    ),
    fromCity: text('From city', 'The city the child lived in before the move.', 255),
    fromState: code('state', 'From state', 'The U.S. state or outlying area the child moved from.'),
    fromCountry: code('country', 'From country', 'The country the child moved from.'),
    toCity: text('To city', 'The city the child lived in after the move.', 255),
    toState: code('state', 'To state', 'The U.S. state or outlying area the child moved to.'),
    eligibilityExpirationDate: date(
      'Eligibility expiration date',
      'The last day the child is eligible through this move: the day before the 36-month ' +
        'anniversary of the QAD unless earlier the day before the 22nd birthday or the ' +
        'graduation/HSE date. Computed on ingest when absent.',
    ),
  },
  ['qualifyingArrivalDate', 'toState'],
);

const enrollment = object(
  {
    title: 'Enrollment',
    description: 'A stay in a school or migrant education project (MDE enrollment data).',
  },
  {
    enrollmentDate: date('Enrollment date', 'The first day of attendance or residency.'),
    withdrawalDate: date('Withdrawal date', 'The last day of attendance or residency.'),
    enrollmentType: code(
      'enrollmentType',
      'Enrollment type',
      'The kind of school program or MEP project in which the child was served.',
    ),
    schoolId: {
      title: 'School ID',
      description: 'The 12-digit NCES school identifier (its LEA ID followed by 5 digits).',
      type: 'string',
      pattern: '^[0-9]{12}$',
    },
    schoolName: text('School or project name', 'The name of the school or MEP project.', 255),
    districtId: {
      title: 'District ID',
      description: 'The 7-digit NCES local education agency identifier.',
      type: 'string',
      pattern: '^[0-9]{7}$',
    },
    districtName: text('District name', 'The name of the school district.', 255),
    grade: code('gradeLevel', 'Grade level', 'The grade level of the child during the enrollment.'),
    englishLearner: flag('English learner', 'True when the child is an English learner.'),
    iep: flag('IEP', 'True when the child has an individualized education program.'),
    priorityForServices: flag(
      'Priority for services',
      'True when the child is given priority for MEP services (ESEA section 1304(d)).',
    ),
    medicalAlert: code('medicalAlert', 'Medical alert', 'Whether a medical alert is on file.'),
    immunizationRecord: flag('Immunization record', 'True when an immunization record is on file.'),
    residencyDate: date(
      'Residency date',
      'The day the child arrived in the current school district.',
    ),
    residencyVerificationDate: date(
      'Residency verification date',
      'The day the state verified that the child still resides in the district.',
    ),
    designatedGraduationSchool: text(
      'Designated graduation school',
      'The school from which the child is expected to graduate.',
      255,
    ),
    graduationDate: date(
      'Graduation or HSE date',
      'The day the child graduated from high school or earned a high school equivalency.',
    ),
    hse: flag(
      'High school equivalency',
      'True when graduationDate is the date of a high school equivalency.',
    ),
    continuationOfServicesReason: code(
      'continuationOfServicesReason',
      'Continuation of services reason',
      'Why a formerly eligible child is still served (ESEA section 1304(e)).',
    ),
    algebra1: flag('Algebra I', 'True when the child has credit for Algebra I or its equivalent.'),
    outOfStateTranscript: flag(
      'Out-of-state transcript',
      'True when transcripts from another state are on file.',
    ),
    comment: text('Comment', 'Notes about the enrollment (MDE "Enrollment Comment").', 1000),
  },
  ['enrollmentDate', 'enrollmentType', 'grade'],
);

const course = object(
  { title: 'Course', description: 'A secondary course the child took (MDE course history).' },
  {
    title: text('Course title', 'The name of the course, e.g. Algebra II.', 255),
    subjectArea: text('Subject area', 'The subject area of the course, e.g. Mathematics.', 100),
    courseType: code(
      'courseType',
      'Course type',
      'The general nature and difficulty of the course.',
    ),
    beginYear: {
      title: 'Begin academic year',
      description: 'The calendar year in which the child began the course.',
      type: 'integer',
      minimum: 1900,
      maximum: 2100,
    },
    endYear: {
      title: 'End academic year',
      description: 'The calendar year in which the child ended the course (not before beginYear).',
      type: 'integer',
      minimum: 1900,
      maximum: 2100,
    },
    section: code(
      'courseSection',
      'Course section',
      'Whether the course was taken in full or in part.',
    ),
    termType: code('termType', 'Term type', 'The span of time over which the course is given.'),
    clockHours: {
      title: 'Clock hours',
      description: 'Hours of instruction completed so far, for a course not yet finished.',
      type: 'number',
      minimum: 0,
      maximum: 99999.99,
    },
    gradeToDate: text(
      'Grade to date',
      'The grade at withdrawal, for a course not yet finished.',
      10,
    ),
    creditsGranted: {
      title: 'Credits granted',
      description: 'Credits earned for the course.',
      type: 'number',
      minimum: 0,
      maximum: 999.999,
    },
    finalGrade: text('Final grade', 'The final grade for the course.', 10),
    inProgress: flag('In progress', 'True when the child is still taking the course.'),
  },
  ['title'],
);

const assessment = object(
  { title: 'Assessment', description: 'A test the child took and its result (MDE assessments).' },
  {
    title: text('Assessment title', 'The name of the assessment.', 255),
    content: text('Content', 'The content area assessed, e.g. Mathematics.', 100),
    type: text('Assessment type', 'The kind of assessment, e.g. state assessment.', 100),
    administrationDate: date('Administration date', 'The day the assessment was given.'),
    reportingMethod: text('Reporting method', 'How the score is expressed, e.g. scale score.', 100),
    score: text('Score', 'The result.', 50),
    interpretation: text('Interpretation', 'What the score means, e.g. proficient.', 255),
  },
  ['title'],
);

export const exchangeDocumentJsonSchema: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: exchangeSchemaId,
  title: 'Continuum exchange document',
  description:
    'One migratory child as one submitting state knows it, modelled on the MSIX Minimum Data ' +
    'Elements (OMB 1810-0683) with CEDS names where they exist. Dates are calendar days YYYY-MM-DD.',
  type: 'object',
  properties: {
    student,
    qualifyingMoves: list(
      'Qualifying moves',
      'The moves that made the child eligible; at least one (a child with no qualifying move is not a migratory child).',
      'qualifyingMove',
      1,
    ),
    enrollments: list('Enrollments', 'Schools and MEP projects the child attended.', 'enrollment'),
    courses: list('Courses', 'Secondary course history.', 'course'),
    assessments: list('Assessments', 'Assessments the child took.', 'assessment'),
  },
  required: ['student', 'qualifyingMoves', 'enrollments', 'courses', 'assessments'],
  additionalProperties: false,
  $defs: {
    isoDate: {
      title: 'Calendar date',
      description: 'A real calendar day written YYYY-MM-DD (ISO 8601), e.g. 2025-02-28.',
      type: 'string',
      pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
      format: 'date',
    },
    alternateId,
    qualifyingMove,
    enrollment,
    course,
    assessment,
    ...codeSetDefs(),
  },
};
