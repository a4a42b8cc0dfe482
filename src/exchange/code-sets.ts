/**
 * Code sets of the common exchange schema, in one module, each with the source it comes from.
 * A state's own codes are translated to these in its mapping file (mappings/*.yaml), never in code.
 *
 * Each set is a `const` array of `{ code, description }` so that the TypeScript union, the JSON
 * Schema enum and the human-readable label all come from the same place.
 */

export interface CodeEntry<C extends string = string> {
  readonly code: C;
  readonly description: string;
}

export interface CodeSet<C extends string = string> {
  readonly name: string;
  /** Where the codes come from (document, element, version). */
  readonly source: string;
  readonly entries: readonly CodeEntry<C>[];
}

function codeSet<const C extends string>(
  name: string,
  source: string,
  entries: readonly CodeEntry<C>[],
): CodeSet<C> {
  return { name, source, entries };
}

export const gradeLevels = codeSet(
  'gradeLevel',
  'MSIX Minimum Data Elements, "Grade Level" (OMB 1810-0683)',
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
  'MSIX Minimum Data Elements, "Enrollment Type" (OMB 1810-0683)',
  [
    { code: '01', description: 'Regular school year, non-MEP project (basic school program)' },
    { code: '02', description: 'Regular school year, MEP project' },
    { code: '03', description: 'Summer or intersession project' },
    { code: '04', description: 'Year-round project' },
    { code: '05', description: 'Residency only' },
  ],
);

export const sexes = codeSet('sex', 'MSIX Minimum Data Elements, "Sex"; CEDS 000255 Sex', [
  { code: 'F', description: 'Female' },
  { code: 'M', description: 'Male' },
  { code: 'X', description: 'Not selected / non-binary' },
]);

export const medicalAlerts = codeSet(
  'medicalAlert',
  'MSIX Minimum Data Elements, "Medical Alert Indicator"',
  [
    { code: 'Chronic', description: 'Chronic condition' },
    { code: 'Acute', description: 'Acute condition' },
    { code: 'None', description: 'No medical alert' },
  ],
);

export const continuationOfServicesReasons = codeSet(
  'continuationOfServicesReason',
  'ESEA section 1304(e)(1)-(3); MSIX "Continuation of Services Reason"',
  [
    { code: '01', description: 'Eligibility ended during the term: served until the end of the term' },
    { code: '02', description: 'Served one additional school year: comparable services unavailable' },
    { code: '03', description: 'Secondary student served through credit accrual until graduation' },
  ],
);

export const courseTypes = codeSet('courseType', 'MSIX Minimum Data Elements, "Course Type"', [
  { code: 'Regular', description: 'Regular course' },
  { code: 'Honors', description: 'Honors' },
  { code: 'AP', description: 'Advanced Placement' },
  { code: 'IB', description: 'International Baccalaureate' },
  { code: 'DualEnrollment', description: 'Dual enrollment' },
  { code: 'CTE', description: 'Career and technical education' },
  { code: 'Remedial', description: 'Remedial' },
  { code: 'Other', description: 'Other' },
]);

export const termTypes = codeSet('termType', 'MSIX Minimum Data Elements, "Term Type"', [
  { code: 'FullYear', description: 'Full school year' },
  { code: 'Semester', description: 'Semester' },
  { code: 'Trimester', description: 'Trimester' },
  { code: 'Quarter', description: 'Quarter' },
  { code: 'Summer', description: 'Summer session' },
  { code: 'Intersession', description: 'Intersession' },
  { code: 'Other', description: 'Other' },
]);

export const courseSections = codeSet('courseSection', 'MSIX Minimum Data Elements, "Course Section"', [
  { code: 'FullYear', description: 'Full year' },
  { code: 'A', description: 'First part (A)' },
  { code: 'B', description: 'Second part (B)' },
]);

export const birthDateVerifications = codeSet(
  'birthDateVerification',
  'CEDS 000033 Birthdate Verification',
  [
    { code: '1003', description: 'Baptismal or church certificate' },
    { code: '1004', description: 'Birth certificate' },
    { code: '1005', description: 'Entry in family bible' },
    { code: '1006', description: 'Hospital certificate' },
    { code: '1007', description: "Parent's affidavit" },
    { code: '1008', description: 'Passport' },
    { code: '1009', description: "Physician's certificate" },
    { code: '1010', description: 'Previously verified school records' },
    { code: '1011', description: 'State-issued ID' },
    { code: '1012', description: "Driver's license" },
    { code: '1013', description: 'Immigration document' },
    { code: '3423', description: 'Life insurance policy' },
    { code: '9999', description: 'Other' },
  ],
);

export const stateStudentIdTypes = codeSet(
  'stateStudentIdType',
  'MSIX Minimum Data Elements, "State Student ID Type"',
  [
    { code: '01', description: 'State student identifier' },
    { code: '02', description: 'Migrant program identifier' },
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
} as const;

export type CodeSetName = keyof typeof codeSets;

export function codesOf(set: CodeSet): string[] {
  return set.entries.map((e) => e.code);
}

export function isCode<C extends string>(set: CodeSet<C>, value: string): value is C {
  return set.entries.some((e) => e.code === value);
}
