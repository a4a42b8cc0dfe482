/**
 * Code sets of the common exchange schema, in one module, each with the source it comes from.
 * A state's own codes are translated to these in its mapping file (mappings/*.yaml), never in code.
 *
 * Each set is a `const` array of `{ code, description }` so that the TypeScript union, the JSON
 * Schema enum and the human-readable label all come from the same place. Where the same value is
 * coded differently by CEDS, MSIX or ISO, the entry carries that code too (`ceds`, `msix`, `iso3`),
 * so that a mapping or an export can translate without a second table.
 *
 * Sources (OMB 1810-0683 is the MSIX Minimum Data Elements collection):
 * - MDE: "MSIX Minimum Data Elements", OMB 1810-0683 (versions of 2009, 11-01-2010 and the 2022
 *   proposal), element names in quotes below.
 * - CEDS: Common Education Data Standards, element global IDs as in ceds.ed.gov.
 * - NCES: NCES Handbook code lists (as carried in the SIF 2.x NCES*Type enumerations).
 */

import { codeSet, type CodeEntry, type CodeSet } from './code-set.js';
import { countries, states } from './place-code-sets.js';

export { countries, states } from './place-code-sets.js';
export type { CodeEntry, CodeSet } from './code-set.js';

export const gradeLevels = codeSet(
  'gradeLevel',
  'MDE "Grade Level" (OMB 1810-0683): P0-P5 for children not yet in kindergarten by age, KG, ' +
    '01-12, UG ungraded, OS out-of-school youth',
  [
    { code: 'P0', description: 'Age birth through 1 year, not in school' },
    { code: 'P1', description: 'Age 1, not in school' },
    { code: 'P2', description: 'Age 2, not in school' },
    { code: 'P3', description: 'Age 3, not in kindergarten' },
    { code: 'P4', description: 'Age 4, not in kindergarten' },
    { code: 'P5', description: 'Age 5, not in kindergarten' },
    { code: 'KG', description: 'Kindergarten' },
    { code: '01', description: 'First grade' },
    { code: '02', description: 'Second grade' },
    { code: '03', description: 'Third grade' },
    { code: '04', description: 'Fourth grade' },
    { code: '05', description: 'Fifth grade' },
    { code: '06', description: 'Sixth grade' },
    { code: '07', description: 'Seventh grade' },
    { code: '08', description: 'Eighth grade' },
    { code: '09', description: 'Ninth grade' },
    { code: '10', description: 'Tenth grade' },
    { code: '11', description: 'Eleventh grade' },
    { code: '12', description: 'Twelfth grade' },
    { code: 'UG', description: 'Ungraded' },
    { code: 'OS', description: 'Out-of-school youth' },
  ],
);

export const enrollmentTypes = codeSet(
  'enrollmentType',
  'MDE "Enrollment Type" (Text 2); CEDS "Migrant Education Program Enrollment Type" ' +
    '(ceds.ed.gov TermId 19427), codes 01-06. Category 2 counts (DESIGN section 8) use 03.',
  [
    { code: '01', description: 'Basic school program (regular term, not MEP-funded)' },
    { code: '02', description: 'Regular-term MEP-funded project' },
    { code: '03', description: 'Summer or intersession MEP-funded project' },
    { code: '04', description: 'Year-round MEP-funded project' },
    { code: '05', description: 'Basic school program and regular-term MEP-funded project' },
    { code: '06', description: 'Residency only (none of the above)' },
  ],
);

export const sexes = codeSet(
  'sex',
  'MDE "Sex" (values Female; Male, Text 6); CEDS 000255 Sex (Female, Male, NotSelected). ' +
    "The one-letter codes are this exchange's own; `msix` and `ceds` give the source values.",
  [
    { code: 'F', description: 'Female', msix: 'Female', ceds: 'Female' },
    { code: 'M', description: 'Male', msix: 'Male', ceds: 'Male' },
    { code: 'X', description: 'Not selected (neither female nor male)', ceds: 'NotSelected' },
  ],
);

export const medicalAlerts = codeSet(
  'medicalAlert',
  'MDE "Medical Alert Indicator" (values Chronic; Acute; None)',
  [
    { code: 'Chronic', description: 'Chronic condition' },
    { code: 'Acute', description: 'Acute condition' },
    { code: 'None', description: 'No medical alert' },
  ],
);

export const continuationOfServicesReasons = codeSet(
  'continuationOfServicesReason',
  'ESEA section 1304(e)(1)-(3) (20 U.S.C. 6394(e)); MDE "Continuation of Services Reason" ' +
    '(Text 2); CEDS 000429 Continuation of Services Reason',
  [
    {
      code: '01',
      description:
        'Ceased to be migratory during the school term: served until the end of that term ' +
        '(section 1304(e)(1))',
    },
    {
      code: '02',
      description:
        'No longer migratory: served for one additional school year because comparable services ' +
        'are not available through other programs (section 1304(e)(2))',
    },
    {
      code: '03',
      description:
        'Secondary school student eligible in secondary school: served through credit accrual ' +
        'programs until graduation (section 1304(e)(3))',
    },
  ],
);

export const courseTypes = codeSet(
  'courseType',
  'MDE "Course Type" (the general nature and difficulty of a course: regular, honors, pre-AP, ' +
    'AP, IB, dual enrollment, CTE, not applicable, other). MSIX transmits a 2-character code whose ' +
    "numbering was not confirmed against a published MDE, so the codes here are this exchange's " +
    'own; `ceds` gives the CEDS "Course Level Characteristic" code of each.',
  [
    { code: 'Regular', description: 'Regular (general) course', ceds: '00571' },
    { code: 'Honors', description: 'Honors course', ceds: '00572' },
    { code: 'PreAP', description: 'Pre-Advanced Placement course', ceds: '73046' },
    { code: 'AP', description: 'Advanced Placement course', ceds: '00575' },
    { code: 'IB', description: 'International Baccalaureate course', ceds: '00574' },
    { code: 'DualEnrollment', description: 'Dual enrollment course', ceds: '73048' },
    { code: 'CTE', description: 'Career and technical education course', ceds: '73044' },
    {
      code: 'CteDualCredit',
      description: 'Career and technical education dual-credit course',
      ceds: '73045',
    },
    { code: 'Remedial', description: 'Remedial course', ceds: '00568' },
    { code: 'NotApplicable', description: 'Not applicable', ceds: '73047' },
    { code: 'Other', description: 'Other', ceds: '73049' },
  ],
);

export const termTypes = codeSet(
  'termType',
  'MDE "Term Type" (Text 4): NCES Handbook session-type codes (SIF NCES0266SessionType); ' +
    '`ceds` gives the CEDS "Session Type" code',
  [
    { code: '0827', description: 'Full school year', ceds: 'FullSchoolYear' },
    { code: '0828', description: 'Semester', ceds: 'Semester' },
    { code: '0829', description: 'Trimester', ceds: 'Trimester' },
    { code: '0830', description: 'Quarter', ceds: 'Quarter' },
    { code: '0831', description: 'Quinmester', ceds: 'Quinmester' },
    { code: '0832', description: 'Mini-term', ceds: 'MiniTerm' },
    { code: '0833', description: 'Summer term', ceds: 'SummerTerm' },
    { code: '0834', description: 'Intersession', ceds: 'Intersession' },
    { code: '0835', description: 'Long session', ceds: 'LongSession' },
    { code: '0837', description: 'Twelve month', ceds: 'TwelveMonth' },
    { code: '9999', description: 'Other', ceds: 'Other' },
  ],
);

export const courseSections = codeSet(
  'courseSection',
  'MDE "Course Section" (Text 2: full year, section A, section B)',
  [
    { code: '01', description: 'Full year' },
    { code: '02', description: 'Section A: the first of two equal parts of the course' },
    { code: '03', description: 'Section B: the second of two equal parts of the course' },
  ],
);

export const birthDateVerifications = codeSet(
  'birthDateVerification',
  'CEDS 000428 Birthdate Verification; MDE "Birth Date Verification" (Text 4); codes of the ' +
    'NCES Handbook list 0315 (SIF NCES0315BirthdateVerificationType)',
  [
    { code: '1003', description: 'Baptismal or church certificate' },
    { code: '1004', description: 'Birth certificate' },
    { code: '1005', description: 'Entry in family Bible' },
    { code: '1006', description: 'Hospital certificate' },
    { code: '1007', description: "Parent's affidavit" },
    { code: '1008', description: 'Passport' },
    { code: '1009', description: "Physician's certificate" },
    { code: '1010', description: 'Previously verified school records' },
    { code: '1011', description: 'State-issued ID' },
    { code: '1012', description: "Driver's license" },
    { code: '1013', description: 'Immigration document/visa' },
    { code: '2382', description: 'Life insurance policy' },
    { code: '3423', description: 'Other official document' },
    { code: '3424', description: 'Other non-official document' },
    { code: '9999', description: 'Other' },
  ],
);

export const stateStudentIdTypes = codeSet(
  'stateStudentIdType',
  'MDE "State Student Identifier Type" (Text 2)',
  [
    { code: '01', description: 'State-assigned unique ID number' },
    { code: '02', description: 'State Migrant Education Program assigned unique ID number' },
  ],
);

export type CodeOf<S> = S extends CodeSet<infer C> ? C : never;
export type GradeLevel = CodeOf<typeof gradeLevels>;
export type EnrollmentType = CodeOf<typeof enrollmentTypes>;
export type Sex = CodeOf<typeof sexes>;
export type MedicalAlert = CodeOf<typeof medicalAlerts>;
export type ContinuationOfServicesReason = CodeOf<typeof continuationOfServicesReasons>;
export type CourseType = CodeOf<typeof courseTypes>;
export type TermType = CodeOf<typeof termTypes>;
export type CourseSection = CodeOf<typeof courseSections>;
export type BirthDateVerification = CodeOf<typeof birthDateVerifications>;
export type StateStudentIdType = CodeOf<typeof stateStudentIdTypes>;
/** A code of the `states` set (types.ts keeps `StateCode` as `string` so mapped input compiles). */
export type UsStateCode = CodeOf<typeof states>;
/** A code of the `countries` set (types.ts keeps `CountryCode` as `string`). */
export type CountryCodeOfSet = CodeOf<typeof countries>;

/** Every code set by name, for the mapping engine's crosswalk checks and the published schema. */
export const codeSets = {
  gradeLevel: gradeLevels,
  enrollmentType: enrollmentTypes,
  sex: sexes,
  medicalAlert: medicalAlerts,
  continuationOfServicesReason: continuationOfServicesReasons,
  courseType: courseTypes,
  termType: termTypes,
  courseSection: courseSections,
  birthDateVerification: birthDateVerifications,
  stateStudentIdType: stateStudentIdTypes,
  state: states,
  country: countries,
} as const;

export type CodeSetName = keyof typeof codeSets;

export function codesOf(set: CodeSet): string[] {
  return set.entries.map((e) => e.code);
}

export function isCode<C extends string>(set: CodeSet<C>, value: string): value is C {
  return set.entries.some((e) => e.code === value);
}

/** The entry for `code`, or undefined when the set has no such code. */
export function entryOf<C extends string>(set: CodeSet<C>, code: string): CodeEntry<C> | undefined {
  return set.entries.find((e) => e.code === code);
}
