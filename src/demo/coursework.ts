/**
 * Secondary course history and assessment results for a child's stay. A student who leaves in
 * the middle of a semester gets partial credit and a grade to date; one still enrolled on the
 * extract day has courses in progress; state tests and English-proficiency tests are recorded for
 * children enrolled on the testing day.
 */
import type { CourseType } from '../exchange/code-sets.js';
import type { Assessment, Course, Enrollment, IsoDate } from '../exchange/types.js';
import { daysBetween, maxDate, minDate } from './calendar.js';
import type { DemoState } from './places.js';
import { demoStateInfo } from './places.js';
import type { DemoRandom } from './random.js';

/** [title, SCED subject area, course type]. SCED: NCES School Courses for the Exchange of Data. */
type CatalogEntry = readonly [string, string, CourseType];

const catalog: Record<number, readonly CatalogEntry[]> = {
  9: [
    ['English 9', '01', 'Regular'],
    ['Algebra I', '02', 'Regular'],
    ['Integrated Science', '03', 'Regular'],
    ['World Geography', '04', 'Regular'],
    ['Physical Education', '08', 'Regular'],
    ['Spanish for Native Speakers I', '24', 'Regular'],
    ['Agricultural Science I', '18', 'CTE'],
  ],
  10: [
    ['English 10', '01', 'Regular'],
    ['Geometry', '02', 'Regular'],
    ['Biology', '03', 'Regular'],
    ['World History', '04', 'Regular'],
    ['Health', '08', 'Regular'],
    ['Art I', '05', 'Regular'],
    ['Honors English 10', '01', 'Honors'],
  ],
  11: [
    ['English 11', '01', 'Regular'],
    ['Algebra II', '02', 'Regular'],
    ['Chemistry', '03', 'Regular'],
    ['U.S. History', '04', 'Regular'],
    ['AP Spanish Language and Culture', '24', 'AP'],
    ['Computer Applications', '10', 'CTE'],
  ],
  12: [
    ['English 12', '01', 'Regular'],
    ['Financial Mathematics', '02', 'Regular'],
    ['Physics', '03', 'Regular'],
    ['Government', '04', 'Regular'],
    ['College Composition', '01', 'DualEnrollment'],
    ['Welding Technology', '13', 'CTE'],
  ],
};
const eld: CatalogEntry = ['English Language Development', '01', 'Other'];

const letterGrades = ['A', 'A-', 'B+', 'B', 'B-', 'C+', 'C', 'C-', 'D', 'F'] as const;

/** Texas reports numeric grades (70 passes); the other demo states report letters. */
function gradeMark(rng: DemoRandom, state: DemoState): { mark: string; passed: boolean } {
  if (state === 'TX') {
    const n = rng.int(55, 99);
    return { mark: String(n), passed: n >= 70 };
  }
  const mark = rng.weighted(letterGrades.map((g, i) => [g, i < 7 ? 3 : 1] as const));
  return { mark, passed: mark !== 'F' };
}

interface Part {
  section: Course['section'];
  termType: Course['termType'];
  from: IsoDate;
  to: IsoDate;
  credits: number;
  hours: number;
}

function partsOf(rng: DemoRandom, state: DemoState, schoolYear: number): Part[] {
  const cal = demoStateInfo[state].calendar;
  const start = `${schoolYear}-${cal.termStart}`;
  const end = `${schoolYear + 1}-${cal.termEnd}`;
  if (state === 'FL' && rng.chance(0.7)) {
    return [{ section: '01', termType: '0827', from: start, to: end, credits: 1, hours: 120 }];
  }
  return [
    {
      section: '02',
      termType: '0828',
      from: start,
      to: `${schoolYear}-12-19`,
      credits: 0.5,
      hours: 60,
    },
    {
      section: '03',
      termType: '0828',
      from: `${schoolYear + 1}-01-06`,
      to: end,
      credits: 0.5,
      hours: 60,
    },
  ];
}

function courseFor(
  rng: DemoRandom,
  state: DemoState,
  entry: CatalogEntry,
  part: Part,
  schoolYear: number,
  enrollment: Enrollment,
  today: IsoDate,
): Course | undefined {
  const left = enrollment.withdrawalDate ?? today;
  const from = maxDate(part.from, enrollment.enrollmentDate);
  const to = minDate(part.to, left);
  if (to <= from) return undefined;
  const share = daysBetween(from, to) / daysBetween(part.from, part.to);
  const [title, subjectArea, courseType] = entry;
  const course: Course = {
    title,
    subjectArea,
    courseType,
    beginYear: schoolYear,
    endYear: schoolYear + 1,
  };
  course.section = part.section;
  course.termType = part.termType;
  const { mark, passed } = gradeMark(rng, state);
  if (!enrollment.withdrawalDate && today < part.to) {
    course.inProgress = true;
    course.gradeToDate = mark;
  } else if (share >= 0.9) {
    course.finalGrade = mark;
    course.creditsGranted = passed ? part.credits : 0;
    course.inProgress = false;
  } else {
    // Left (or arrived) mid-term: partial credit for at least half the term, a grade to date.
    course.gradeToDate = mark;
    course.creditsGranted = share >= 0.5 && passed ? part.credits / 2 : 0;
    course.inProgress = false;
  }
  if (rng.chance(0.5)) course.clockHours = Math.round(part.hours * Math.min(1, share));
  return course;
}

export function coursesFor(
  rng: DemoRandom,
  state: DemoState,
  enrollment: Enrollment,
  schoolYear: number,
  today: IsoDate,
): Course[] {
  const n = Number(enrollment.grade);
  const list = catalog[n];
  if (!list) return [];
  if (enrollment.enrollmentType === '03') {
    // A summer credit-recovery course.
    const [title, subjectArea] = rng.pick(list.slice(0, 4));
    const course: Course = {
      title: `Credit Recovery: ${title}`,
      subjectArea,
      courseType: 'Remedial',
    };
    Object.assign(course, {
      beginYear: schoolYear,
      endYear: schoolYear + 1,
      section: '02' as const,
    });
    course.termType = '0833';
    const { mark, passed } = gradeMark(rng, state);
    if (enrollment.withdrawalDate) {
      course.finalGrade = mark;
      course.creditsGranted = passed ? 0.5 : 0;
      course.inProgress = false;
    } else {
      course.gradeToDate = mark;
      course.inProgress = true;
    }
    course.clockHours = 40;
    return rng.chance(0.4) ? [course] : [];
  }
  const chosen = rng.shuffle(list).slice(0, rng.int(4, 6));
  if (enrollment.englishLearner && rng.chance(0.6)) chosen.push(eld);
  const courses: Course[] = [];
  for (const part of partsOf(rng, state, schoolYear)) {
    for (const entry of chosen) {
      const c = courseFor(rng, state, entry, part, schoolYear, enrollment, today);
      if (c) courses.push(c);
    }
  }
  return courses;
}

interface TestSpec {
  title: string;
  content: string;
  type: string;
  reportingMethod: string;
  min: number;
  max: number;
  /** Scores with one decimal (ACCESS composite levels). */
  tenths?: boolean;
  /** Interpretation bands, lowest first, splitting [min, max] evenly. */
  levels: readonly string[];
}

const staarLevels = [
  'Did Not Meet Grade Level',
  'Approaches Grade Level',
  'Meets Grade Level',
  'Masters Grade Level',
];
const fastLevels = ['Level 1', 'Level 2', 'Level 3', 'Level 4', 'Level 5'];
const sbacLevels = ['Level 1', 'Level 2', 'Level 3', 'Level 4'];
const state = 'State assessment';
const elp = 'English language proficiency';

const stateTests: Partial<Record<DemoState, Record<'ela' | 'math' | 'elp', TestSpec>>> = {
  TX: {
    ela: {
      title: 'STAAR Reading Language Arts',
      content: 'Reading',
      type: state,
      reportingMethod: 'Scale score',
      min: 1250,
      max: 1900,
      levels: staarLevels,
    },
    math: {
      title: 'STAAR Mathematics',
      content: 'Mathematics',
      type: state,
      reportingMethod: 'Scale score',
      min: 1250,
      max: 1900,
      levels: staarLevels,
    },
    elp: {
      title: 'TELPAS',
      content: 'English proficiency',
      type: elp,
      reportingMethod: 'Proficiency rating',
      min: 1,
      max: 4,
      levels: ['Beginning', 'Intermediate', 'Advanced', 'Advanced High'],
    },
  },
  FL: {
    ela: {
      title: 'FAST ELA Reading',
      content: 'Reading',
      type: state,
      reportingMethod: 'Scale score',
      min: 280,
      max: 380,
      levels: fastLevels,
    },
    math: {
      title: 'FAST Mathematics',
      content: 'Mathematics',
      type: state,
      reportingMethod: 'Scale score',
      min: 280,
      max: 380,
      levels: fastLevels,
    },
    elp: {
      title: 'ACCESS for ELLs',
      content: 'English proficiency',
      type: elp,
      reportingMethod: 'Composite proficiency level',
      min: 1,
      max: 6,
      tenths: true,
      levels: ['Entering', 'Emerging', 'Developing', 'Expanding', 'Bridging', 'Reaching'],
    },
  },
  WA: {
    ela: {
      title: 'Smarter Balanced ELA',
      content: 'English language arts',
      type: state,
      reportingMethod: 'Scale score',
      min: 2300,
      max: 2700,
      levels: sbacLevels,
    },
    math: {
      title: 'Smarter Balanced Math',
      content: 'Mathematics',
      type: state,
      reportingMethod: 'Scale score',
      min: 2300,
      max: 2700,
      levels: sbacLevels,
    },
    elp: {
      title: 'WA-ELPA21',
      content: 'English proficiency',
      type: elp,
      reportingMethod: 'Proficiency determination',
      min: 1,
      max: 3,
      levels: ['Emerging', 'Progressing', 'Proficient'],
    },
  },
};

function result(rng: DemoRandom, spec: TestSpec, on: IsoDate): Assessment {
  const step = spec.tenths ? 0.1 : 1;
  const value = spec.tenths
    ? rng.int(spec.min * 10, spec.max * 10) / 10
    : rng.int(spec.min, spec.max);
  const bandWidth = (spec.max - spec.min + step) / spec.levels.length;
  const band = Math.min(spec.levels.length - 1, Math.floor((value - spec.min) / bandWidth));
  return {
    title: spec.title,
    content: spec.content,
    type: spec.type,
    administrationDate: on,
    reportingMethod: spec.reportingMethod,
    score: spec.tenths ? value.toFixed(1) : String(value),
    interpretation: spec.levels[band] as string,
  };
}

export function assessmentsFor(
  rng: DemoRandom,
  state: DemoState,
  enrollment: Enrollment,
  schoolYear: number,
  today: IsoDate,
): Assessment[] {
  const tests = stateTests[state];
  if (!tests || !['01', '04', '05'].includes(enrollment.enrollmentType)) return [];
  const cal = demoStateInfo[state].calendar;
  const within = (day: IsoDate) =>
    day <= today && day >= enrollment.enrollmentDate && day <= (enrollment.withdrawalDate ?? today);
  const out: Assessment[] = [];
  const n = Number(enrollment.grade);
  const testDay = `${schoolYear + 1}-${cal.stateTestDay}`;
  if (((n >= 3 && n <= 8) || n === 10) && within(testDay) && rng.chance(0.7)) {
    out.push(result(rng, tests.ela, testDay));
    if (n !== 10) out.push(result(rng, tests.math, testDay));
  }
  const elpDay = `${schoolYear + 1}-${cal.elpTestDay}`;
  if (enrollment.englishLearner && n >= 1 && within(elpDay) && rng.chance(0.6)) {
    out.push(result(rng, tests.elp, elpDay));
  }
  return out;
}
