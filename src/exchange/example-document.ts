/**
 * One fully populated exchange document: every field of types.ts present, typed so that the
 * compiler fails when types.ts gains, loses or renames a field. Tests compare it with the JSON
 * Schema property by property; it also serves as an example for state implementers. The child is
 * fictional; identifiers are in ranges no real record uses.
 */
import type { ExchangeDocument } from './types.js';

/** `T` with every optional property required, all the way down (arrays of them included). */
export type Complete<T> = T extends readonly (infer U)[]
  ? Complete<U>[]
  : T extends object
    ? { [K in keyof T]-?: Complete<NonNullable<T[K]>> }
    : T;

export const completeExampleDocument = {
  student: {
    stateStudentId: 'CA0099000123',
    stateStudentIdType: '01',
    alternateIds: [{ id: '99000123', type: 'district' }],
    firstName: 'José',
    middleName: 'Luis',
    lastName1: 'Hernández',
    lastName2: 'López',
    suffix: 'Jr.',
    sex: 'M',
    birthDate: '2006-05-20',
    multipleBirth: false,
    birthCity: 'Salinas',
    birthState: 'CA',
    birthCountry: 'US',
    birthDateVerification: '1004',
    parent1: {
      firstName: 'José',
      lastName: 'Hernández',
      email: 'jose.hernandez@example.org',
      phone: '8315550100',
    },
    parent2: {
      firstName: 'María',
      lastName: 'López',
      email: 'maria.lopez@example.org',
      phone: '8315550101',
    },
  },
  qualifyingMoves: [
    {
      qualifyingArrivalDate: '2023-09-05',
      fromCity: 'Yuma',
      fromState: 'AZ',
      fromCountry: 'US',
      toCity: 'Salinas',
      toState: 'CA',
      eligibilityExpirationDate: '2025-06-06',
    },
  ],
  enrollments: [
    {
      enrollmentDate: '2023-09-11',
      withdrawalDate: '2025-06-06',
      enrollmentType: '02',
      schoolId: '069900190001',
      schoolName: 'Demo Valley High School',
      districtId: '0699001',
      districtName: 'Demo Valley Unified School District',
      grade: '12',
      englishLearner: true,
      iep: false,
      priorityForServices: true,
      medicalAlert: 'None',
      immunizationRecord: true,
      residencyDate: '2023-09-05',
      residencyVerificationDate: '2024-09-03',
      designatedGraduationSchool: 'Demo Valley High School',
      graduationDate: '2025-06-06',
      hse: false,
      continuationOfServicesReason: '01',
      algebra1: true,
      outOfStateTranscript: true,
      comment: 'Transcript from Arizona received 2023-10-02.',
    },
  ],
  courses: [
    {
      title: 'Algebra II',
      subjectArea: 'Mathematics',
      courseType: 'Regular',
      beginYear: 2023,
      endYear: 2024,
      section: '01',
      termType: '0828',
      clockHours: 62.5,
      gradeToDate: 'B+',
      creditsGranted: 0.5,
      finalGrade: 'B',
      inProgress: false,
    },
  ],
  assessments: [
    {
      title: 'CAASPP Mathematics',
      content: 'Mathematics',
      type: 'State assessment',
      administrationDate: '2024-05-14',
      reportingMethod: 'Scale score',
      score: '2591',
      interpretation: 'Standard met',
    },
  ],
} satisfies Complete<ExchangeDocument>;

/** The same document typed as an ordinary exchange document. */
export const exampleExchangeDocument: ExchangeDocument = completeExampleDocument;
