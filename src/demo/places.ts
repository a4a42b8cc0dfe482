/**
 * Where the demo children live, study and come from. Towns and countries are real places (a place
 * name is not personal data); every district and school is fictional and carries an identifier in
 * a range this project reserves for fiction (see `demoDistrictId`), so that no demo record can
 * ever be mistaken for, or joined to, a real NCES school.
 */
import type { CountryCode, StateCode } from '../exchange/types.js';

export const demoStates = ['CA', 'TX', 'FL', 'WA'] as const;
export type DemoState = (typeof demoStates)[number];

export function isDemoState(state: string): state is DemoState {
  return (demoStates as readonly string[]).includes(state);
}

export type SchoolLevel = 'elementary' | 'middle' | 'high' | 'program';

export interface DemoSchool {
  /** NCES 12: the district's 7 digits, then `9` and a 4-digit sequence. */
  id: string;
  name: string;
  level: SchoolLevel;
}

export interface DemoDistrict {
  /** NCES 7: the state's FIPS code, `99`, then a 3-digit sequence. */
  id: string;
  name: string;
  city: string;
  schools: Record<SchoolLevel, DemoSchool>;
}

/** `MM-DD` bounds of a state's calendar, applied to each school year. */
export interface SchoolCalendar {
  termStart: string;
  termEnd: string;
  summerStart: string;
  summerEnd: string;
  /** Spring state testing and English-proficiency testing days. */
  stateTestDay: string;
  elpTestDay: string;
}

export interface DemoStateInfo {
  code: DemoState;
  fips: string;
  areaCodes: readonly string[];
  calendar: SchoolCalendar;
  districts: readonly DemoDistrict[];
}

/** The fictional NCES range: districts `SS99NNN` (SS = state FIPS), schools `SS99NNN9NNNN`. */
export function demoDistrictId(fips: string, seq: number): string {
  return `${fips}99${String(seq).padStart(3, '0')}`;
}

const schoolSuffix: Record<DemoState, Record<SchoolLevel, string>> = {
  CA: {
    elementary: 'Elementary School',
    middle: 'Middle School',
    high: 'High School',
    program: 'Migrant Education Summer Academy',
  },
  TX: {
    elementary: 'Elementary',
    middle: 'Middle School',
    high: 'High School',
    program: 'Migrant Summer Program',
  },
  FL: {
    elementary: 'Elementary School',
    middle: 'Middle School',
    high: 'Senior High School',
    program: 'Migrant Summer Institute',
  },
  WA: {
    elementary: 'Elementary',
    middle: 'Middle School',
    high: 'High School',
    program: 'Migrant Summer School',
  },
};

const levels: readonly SchoolLevel[] = ['elementary', 'middle', 'high', 'program'];

function districts(
  state: DemoState,
  fips: string,
  rows: readonly (readonly [district: string, stem: string, city: string])[],
): DemoDistrict[] {
  return rows.map(([name, stem, city], i) => {
    const id = demoDistrictId(fips, i + 1);
    const schools = Object.fromEntries(
      levels.map((level, j) => [
        level,
        {
          id: `${id}9${String(j + 1).padStart(4, '0')}`,
          name: `${stem} ${schoolSuffix[state][level]}`,
          level,
        },
      ]),
    ) as Record<SchoolLevel, DemoSchool>;
    return { id, name, city, schools };
  });
}

export const demoStateInfo: Record<DemoState, DemoStateInfo> = {
  CA: {
    code: 'CA',
    fips: '06',
    areaCodes: ['831', '559', '661', '760'],
    calendar: {
      termStart: '08-13',
      termEnd: '06-05',
      summerStart: '06-16',
      summerEnd: '07-25',
      stateTestDay: '04-22',
      elpTestDay: '02-18',
    },
    districts: districts('CA', '06', [
      ['Arroyo Verde Unified School District', 'Arroyo Verde', 'Salinas'],
      ['Campo Alegre Union School District', 'Campo Alegre', 'Watsonville'],
      ['Valle Dorado Joint Unified School District', 'Valle Dorado', 'Delano'],
      ['Las Brisas Unified School District', 'Las Brisas', 'Oxnard'],
      ['Sierra Almendro Unified School District', 'Sierra Almendro', 'Madera'],
      ['Palmas del Desierto Unified School District', 'Palmas del Desierto', 'Coachella'],
    ]),
  },
  TX: {
    code: 'TX',
    fips: '48',
    areaCodes: ['956', '830', '806'],
    calendar: {
      termStart: '08-20',
      termEnd: '05-29',
      summerStart: '06-09',
      summerEnd: '07-17',
      stateTestDay: '04-08',
      elpTestDay: '02-24',
    },
    districts: districts('TX', '48', [
      ['Río Escondido ISD', 'Río Escondido', 'Weslaco'],
      ['Palma Real ISD', 'Palma Real', 'Pharr'],
      ['Nueva Esperanza ISD', 'Nueva Esperanza', 'Edinburg'],
      ['Loma Peñasco ISD', 'Loma Peñasco', 'Eagle Pass'],
      ['Llano Seco ISD', 'Llano Seco', 'Hereford'],
      ['Mesquite Flats ISD', 'Mesquite Flats', 'Dimmitt'],
    ]),
  },
  FL: {
    code: 'FL',
    fips: '12',
    areaCodes: ['239', '305', '813', '561'],
    calendar: {
      termStart: '08-11',
      termEnd: '05-29',
      summerStart: '06-09',
      summerEnd: '07-18',
      stateTestDay: '05-06',
      elpTestDay: '02-10',
    },
    districts: districts('FL', '12', [
      ['Sawgrass County School District', 'Sawgrass', 'Immokalee'],
      ['Palmetto Bend County Schools', 'Palmetto Bend', 'Homestead'],
      ['Citrus Ridge County School District', 'Citrus Ridge', 'Plant City'],
      ['Cypress Hammock County Schools', 'Cypress Hammock', 'Wimauma'],
      ['Okee Grove County School District', 'Okee Grove', 'Belle Glade'],
    ]),
  },
  WA: {
    code: 'WA',
    fips: '53',
    areaCodes: ['509', '360'],
    calendar: {
      termStart: '09-03',
      termEnd: '06-13',
      summerStart: '06-23',
      summerEnd: '08-01',
      stateTestDay: '04-29',
      elpTestDay: '02-03',
    },
    districts: districts('WA', '53', [
      ['Sagebrush Valley School District', 'Sagebrush Valley', 'Yakima'],
      ['Columbia Bend School District', 'Columbia Bend', 'Pasco'],
      ['Orchard Hills School District', 'Orchard Hills', 'Wenatchee'],
      ['Basalt Ridge School District', 'Basalt Ridge', 'Othello'],
      ['Cascade Orchard School District', 'Cascade Orchard', 'Mount Vernon'],
      ['Sunnyslope Valley School District', 'Sunnyslope Valley', 'Sunnyside'],
    ]),
  },
};

/** Country codes used by the canonical documents: ISO 3166-1 alpha-2, as CEDS lists them. */
export const demoCountries = ['US', 'MX', 'GT', 'HN', 'SV'] as const;
export type DemoCountry = (typeof demoCountries)[number];

export interface Place {
  city: string;
  /** USPS code, for places in the United States only. */
  state?: StateCode;
  country: CountryCode;
}

/** Home towns abroad that demo families come from (Mexico and Central America). */
export const originsAbroad: readonly Place[] = [
  ...[
    'Zamora',
    'Uruapan',
    'Morelia',
    'Tepatitlán',
    'Autlán',
    'Irapuato',
    'Celaya',
    'Salvatierra',
    'Juxtlahuaca',
    'Tlaxiaco',
    'Tlapa',
    'Fresnillo',
    'San Quintín',
    'Culiacán',
    'Reynosa',
    'Piedras Negras',
  ].map((city) => ({ city, country: 'MX' })),
  ...['Huehuetenango', 'Quetzaltenango', 'San Marcos'].map((city) => ({ city, country: 'GT' })),
  ...['San Pedro Sula', 'Choluteca'].map((city) => ({ city, country: 'HN' })),
  ...['San Miguel', 'Usulután'].map((city) => ({ city, country: 'SV' })),
];

/** Towns in states that are not demo states: a move from there qualifies but sends no file. */
export const otherUsPlaces: readonly Place[] = [
  { city: 'Yuma', state: 'AZ', country: 'US' },
  { city: 'Nampa', state: 'ID', country: 'US' },
  { city: 'Hood River', state: 'OR', country: 'US' },
  { city: 'Hendersonville', state: 'NC', country: 'US' },
  { city: 'Traverse City', state: 'MI', country: 'US' },
  { city: 'Vidalia', state: 'GA', country: 'US' },
  { city: 'Dodge City', state: 'KS', country: 'US' },
];
