/**
 * What a child does during one stay in a demo state: regular-term enrollments, MEP summer and
 * intersession projects, residency-only records for children not in school (infants, out-of-school
 * youth, arrivals between terms: type 06), graduation or a high-school equivalency at the end.
 */
import type { GradeLevel } from '../exchange/code-sets.js';
import type { Enrollment, IsoDate } from '../exchange/types.js';
import { addDays, ageOn, maxDate, minDate, yearOf, monthOf } from './calendar.js';
import type { ChildPlan, DemoStop } from './families.js';
import type { DemoSchool } from './places.js';
import { demoStateInfo } from './places.js';
import type { DemoRandom } from './random.js';

export interface Stay {
  stop: DemoStop;
  /** The QAD that starts the stay. */
  start: IsoDate;
  /** The next stop's QAD, when the family moved on. */
  end?: IsoDate;
  /** No later stop at all: graduation can only close the last stay. */
  isLast: boolean;
  /** Whether the child studied in another state or country before this stay. */
  cameFromElsewhere: boolean;
}

export interface StayResult {
  enrollments: Enrollment[];
  /** Regular-term or summer enrollments and their school year, for course history. */
  terms: { enrollment: Enrollment; schoolYear: number }[];
  /** Graduation or HSE date: eligibility ends there. */
  completedOn?: IsoDate;
}

const comments = [
  'Family works in strawberry harvest, expected to return in May',
  'Needs "newcomer" support; arrived mid-term',
  'Hermana en el mismo programa; la familia regresa a Michoacán en diciembre',
  'Vision screening referred, follow-up pending',
  'Parent requested Spanish-language notices',
];
const secondaryComments = [
  'Student works afternoons in packing shed, prefers evening classes',
  'Credit recovery plan agreed with counselor, see "Plan B" in file',
];

/** `YYYY` of the school year (August to July) a date falls in. */
export function schoolYearOf(date: IsoDate): number {
  return monthOf(date) >= 8 ? yearOf(date) : yearOf(date) - 1;
}

function gradeNumber(child: ChildPlan, schoolYear: number): number {
  return ageOn(child.birthDate, `${schoolYear}-09-01`) - 5 + child.gradeOffset;
}

function gradeCode(n: number): GradeLevel {
  return n === 0 ? 'KG' : (String(n).padStart(2, '0') as GradeLevel);
}

function preschoolGrade(child: ChildPlan, on: IsoDate): GradeLevel {
  return `P${Math.min(5, Math.max(0, ageOn(child.birthDate, on)))}` as GradeLevel;
}

function schoolFor(stop: DemoStop, grade: GradeLevel): DemoSchool {
  const s = stop.district.schools;
  if (grade.startsWith('P') || grade === 'KG') return s.elementary;
  const n = Number(grade);
  return n <= 5 ? s.elementary : n <= 8 ? s.middle : s.high;
}

function base(stop: DemoStop, school: DemoSchool | undefined): Partial<Enrollment> {
  const e: Partial<Enrollment> = {};
  if (school) {
    e.schoolId = school.id;
    e.schoolName = school.name;
  }
  e.districtId = stop.district.id;
  e.districtName = stop.district.name;
  return e;
}

/** A session [from, to] clipped to the stay: enrollment date and, once it ended, withdrawal. */
function clip(
  rng: DemoRandom,
  stay: Stay,
  today: IsoDate,
  from: IsoDate,
  to: IsoDate,
): { enrollmentDate: IsoDate; withdrawalDate?: IsoDate } | undefined {
  const lastDay = stay.end ? addDays(stay.end, -1) : today;
  const enrollmentDate = maxDate(from, addDays(stay.start, rng.int(1, 6)));
  if (enrollmentDate > minDate(to, lastDay, today)) return undefined;
  if (stay.end && stay.end <= to) {
    return {
      enrollmentDate,
      withdrawalDate: maxDate(enrollmentDate, addDays(stay.end, -rng.int(1, 5))),
    };
  }
  return to < today ? { enrollmentDate, withdrawalDate: to } : { enrollmentDate };
}

export function stayEnrollments(
  rng: DemoRandom,
  child: ChildPlan,
  stay: Stay,
  today: IsoDate,
): StayResult {
  const cal = demoStateInfo[stay.stop.state].calendar;
  const lastDay = stay.end ? addDays(stay.end, -1) : today;
  const result: StayResult = { enrollments: [], terms: [] };
  const program = stay.stop.district.schools.program;
  const pfs = rng.chance(0.3);
  const common = (e: Enrollment): Enrollment => {
    const isPreK = e.grade.startsWith('P');
    if (!isPreK || e.grade >= 'P3') {
      if (e.enrollmentType !== '06') {
        e.englishLearner = child.englishLearner;
        e.iep = child.iep;
      }
      e.priorityForServices = pfs;
    }
    if (rng.chance(0.75)) e.immunizationRecord = true;
    else if (rng.chance(0.1)) e.immunizationRecord = false;
    if (rng.chance(0.06)) {
      const secondary = e.grade === 'OS' || ['09', '10', '11', '12'].includes(e.grade);
      e.comment = rng.pick(secondary ? [...comments, ...secondaryComments] : comments);
    }
    return e;
  };

  for (let year = schoolYearOf(stay.start); year <= schoolYearOf(lastDay); year++) {
    if (result.completedOn) break;
    const n = gradeNumber(child, year);
    const preschool = n < 0 && ageOn(child.birthDate, `${year}-09-01`) >= 3 && rng.chance(0.45);
    const inSchool = !child.outOfSchool && n <= 12 && (n >= 0 || preschool);
    const grade = n >= 0 ? gradeCode(n) : `P${ageOn(child.birthDate, `${year}-09-01`)}`;
    const termEnd = `${year + 1}-${cal.termEnd}`;
    const term = inSchool ? clip(rng, stay, today, `${year}-${cal.termStart}`, termEnd) : undefined;
    if (term) {
      const g = grade as GradeLevel;
      const school = schoolFor(stay.stop, g);
      const yearRound = (stay.stop.state === 'CA' || stay.stop.state === 'TX') && rng.chance(0.05);
      // 05: the school enrollment and a regular-term MEP project reported as one record.
      const withMep = !yearRound && rng.chance(0.1);
      const e = common({
        ...base(stay.stop, school),
        ...term,
        enrollmentType: yearRound ? '04' : withMep ? '05' : '01',
        grade: g,
      });
      if (n >= 9) {
        e.designatedGraduationSchool = stay.stop.district.schools.high.name;
        e.outOfStateTranscript = stay.cameFromElsewhere && rng.chance(0.7);
      }
      if (n >= 8) e.algebra1 = n >= 9 ? rng.chance(0.6) : rng.chance(0.15);
      if (n === 12 && stay.isLast && term.withdrawalDate === termEnd && rng.chance(0.75)) {
        e.graduationDate = termEnd;
        e.hse = false;
        result.completedOn = termEnd;
      }
      result.enrollments.push(e);
      result.terms.push({ enrollment: e, schoolYear: year });
      if (!withMep && rng.chance(0.08)) {
        // A regular-year MEP project (tutoring, extended day) overlapping the school enrollment.
        const { graduationDate: _g, hse: _h, ...project } = e;
        result.enrollments.push({
          ...project,
          enrollmentType: '02',
          comment: 'Extended-day MEP tutoring',
        });
      }
    }
    if (inSchool && !result.completedOn && rng.chance(0.06)) {
      const inter = clip(rng, stay, today, `${year + 1}-03-16`, `${year + 1}-03-27`);
      if (inter && term) {
        const g = grade as GradeLevel;
        result.enrollments.push(
          common({ ...base(stay.stop, program), ...inter, enrollmentType: '03', grade: g }),
        );
      }
    }
    const summerStart = `${year + 1}-${cal.summerStart}`;
    const age = ageOn(child.birthDate, summerStart);
    if (!result.completedOn && age >= 3 && rng.chance(child.outOfSchool ? 0.35 : 0.5)) {
      const summer = clip(rng, stay, today, summerStart, `${year + 1}-${cal.summerEnd}`);
      if (summer) {
        const g: GradeLevel =
          inSchool && n >= 0
            ? gradeCode(n)
            : n > 12 || child.outOfSchool
              ? 'OS'
              : preschoolGrade(child, summerStart);
        const e = common({
          ...base(stay.stop, program),
          ...summer,
          enrollmentType: '03',
          grade: g,
        });
        result.enrollments.push(e);
        if (n >= 9 && g !== 'OS') result.terms.push({ enrollment: e, schoolYear: year });
      }
    }
  }

  residencyOnly(rng, child, stay, today, lastDay, result, common);
  const key = (e: Enrollment) => `${e.enrollmentDate} ${e.enrollmentType}`;
  result.enrollments.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return result;
}

/**
 * A child not in school when the family arrives (an infant, an out-of-school youth, a child who
 * arrives between terms) is recorded as residing in the district: a residency-only enrollment from
 * the QAD, so that every qualifying move has an enrollment.
 */
function residencyOnly(
  rng: DemoRandom,
  child: ChildPlan,
  stay: Stay,
  today: IsoDate,
  lastDay: IsoDate,
  result: StayResult,
  common: (e: Enrollment) => Enrollment,
): void {
  const schoolDates = result.enrollments
    .filter((e) => e.enrollmentType !== '03')
    .map((e) => e.enrollmentDate)
    .sort();
  const firstSchool = schoolDates[0];
  if (firstSchool && firstSchool <= addDays(stay.start, 20)) return;
  const start = stay.start;
  let withdrawalDate: IsoDate | undefined;
  if (firstSchool) withdrawalDate = addDays(firstSchool, -1);
  else if (stay.end) withdrawalDate = maxDate(start, addDays(stay.end, -rng.int(1, 5)));
  const age = ageOn(child.birthDate, start);
  const n = gradeNumber(child, schoolYearOf(start));
  const grade: GradeLevel =
    child.outOfSchool || n > 12 ? 'OS' : n < 0 ? preschoolGrade(child, start) : gradeCode(n);
  const e = common({
    ...base(stay.stop, undefined),
    enrollmentDate: start,
    ...(withdrawalDate ? { withdrawalDate } : {}),
    enrollmentType: '06',
    grade,
    residencyDate: start,
  });
  const verified = addDays(start, rng.int(14, 60));
  if (verified <= minDate(lastDay, today) && rng.chance(0.85))
    e.residencyVerificationDate = verified;
  if (grade === 'OS' && age >= 18 && stay.isLast && !withdrawalDate && rng.chance(0.12)) {
    const hseOn = addDays(start, rng.int(30, 300));
    if (hseOn <= today) {
      e.graduationDate = hseOn;
      e.hse = true;
      result.completedOn = hseOn;
      // Eligibility ends with the equivalency: no MEP project starts after it.
      result.enrollments = result.enrollments.filter((x) => x.enrollmentDate <= hseOn);
    }
  }
  result.enrollments.push(e);
}
