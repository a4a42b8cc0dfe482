/**
 * Synthetic survey exports for the demo: a CHKS student file and a CSSS staff file for the demo
 * districts of California (0699001-0699012, regions R01-R06 in config/states/CA.yaml), in the
 * layouts mappings/ca-chks-survey.yaml and mappings/ca-csss-survey.yaml read. Respondent numbers
 * vary from district to district so that the reports show published, suppressed and combined
 * levels. Fiction only: there is no real respondent behind any row.
 */
import { DemoRandom, type DemoSeed } from './random.js';

const STUDENT_ITEMS = [
  ...Array.from({ length: 10 }, (_, i) => `A${i + 1}`),
  ...Array.from({ length: 9 }, (_, i) => `B${i + 1}`),
  ...Array.from({ length: 5 }, (_, i) => `C${i + 1}`),
  ...Array.from({ length: 4 }, (_, i) => `D${i + 1}`),
];
const STAFF_ITEMS = Array.from({ length: 14 }, (_, i) => `S${i + 1}`);
const DISTRICTS = Array.from({ length: 12 }, (_, i) => `0699${String(i + 1).padStart(3, '0')}`);

export interface DemoSurveyFiles {
  chks: { name: string; text: string };
  csss: { name: string; text: string };
}

/** Answer `1..max`, a little lower on average for the migrant group on the scaled items. */
function answer(random: DemoRandom, max: number, lower: boolean): number {
  const v = random.int(1, max);
  return lower && random.chance(0.3) ? Math.max(1, v - 1) : v;
}

export function renderDemoSurveyFiles(seed: DemoSeed, year = 2025): DemoSurveyFiles {
  const random = new DemoRandom(`${String(seed)}-survey`);
  const chks = [
    [
      'SURVEY_YEAR',
      'DISTRICT_NCES_ID',
      'SCHOOL_NCES_ID',
      'GRADE',
      'MIGRANT_PROGRAM',
      ...STUDENT_ITEMS,
    ].join(','),
  ];
  const csss = [
    ['YEAR', 'DISTRICT', 'SCHOOL', 'SCHOOL_LEVEL', 'MEP_STAFF', ...STAFF_ITEMS].join(';'),
  ];
  DISTRICTS.forEach((district, d) => {
    // Every fourth district is small: its levels are hidden, or only combined.
    const small = d % 4 === 3;
    for (const grade of ['7', '9', '11']) {
      const migrant = small ? random.int(2, 6) : random.int(8, 30);
      const others = random.int(small ? 8 : 20, small ? 20 : 90);
      const school = `${district}9${grade === '7' ? '0002' : '0003'}`;
      for (let k = 0; k < migrant + others; k++) {
        const isMigrant = k < migrant;
        const flag = isMigrant ? 'A' : random.chance(0.2) ? 'C' : 'B';
        const answers = STUDENT_ITEMS.map((item) => {
          if (random.chance(0.03)) return '';
          const max = item.startsWith('B') ? 4 : item.startsWith('D') ? 2 : 5;
          return String(answer(random, max, isMigrant && !item.startsWith('D')));
        });
        chks.push([String(year), district, school, grade, flag, ...answers].join(','));
      }
    }
    for (const level of ['E', 'M', 'H']) {
      const migrant = small ? random.int(1, 3) : random.int(3, 10);
      const others = random.int(small ? 4 : 8, small ? 10 : 30);
      const school = `${district}9${level === 'E' ? '0001' : level === 'M' ? '0002' : '0003'}`;
      for (let k = 0; k < migrant + others; k++) {
        const answers = STAFF_ITEMS.map((item) =>
          String(answer(random, item === 'S14' ? 4 : 5, false)),
        );
        csss.push(
          [String(year), district, school, level, k < migrant ? '1' : '2', ...answers].join(';'),
        );
      }
    }
  });
  return {
    chks: { name: `ca-chks-${year}.csv`, text: `${chks.join('\r\n')}\r\n` },
    csss: { name: `ca-csss-${year}.csv`, text: `${csss.join('\n')}\n` },
  };
}
