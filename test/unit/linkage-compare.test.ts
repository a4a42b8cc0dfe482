// Normalisation, nicknames, each field comparison, blocking keys, Fellegi–Sunter scoring, the
// twin rule and EM (src/linkage/). Pure functions: no store.
import assert from 'node:assert/strict';
import {
  blockingKeys,
  keyRange,
  lookupKeys,
  phoneticCode,
  yearRest,
} from '../../src/linkage/blocking.js';
import {
  compareBirthDates,
  compareBirthPlaces,
  compareFirstNames,
  compareParents,
  comparePeople,
  compareSex,
  compareSurnames,
} from '../../src/linkage/compare.js';
import type { Levels } from '../../src/linkage/compare.js';
import { estimateWeights } from '../../src/linkage/em.js';
import { canonicalGivenName, nicknameEquivalent } from '../../src/linkage/nicknames.js';
import { nameTokens, normaliseName, normaliseSurnames } from '../../src/linkage/normalise.js';
import { linkagePerson } from '../../src/linkage/person.js';
import type { LinkageFields } from '../../src/linkage/person.js';
import {
  decide,
  defaultWeights,
  resolveWeights,
  scoreComparison,
} from '../../src/linkage/weights.js';

const thresholds = { upper: 24, lower: 12 };

const child: LinkageFields = {
  firstName: 'Guadalupe',
  lastName1: 'Hernández',
  lastName2: 'López',
  sex: 'F',
  birthDate: '2014-03-07',
  multipleBirth: false,
  birthCity: 'Salinas',
  birthState: 'CA',
  birthCountry: 'US',
  parent1FirstName: 'José',
  parent1LastName: 'Hernández',
  parent2FirstName: 'María',
  parent2LastName: 'López',
};

const person = (changes: Partial<LinkageFields> = {}) => linkagePerson({ ...child, ...changes });
const surnames = (a: string, b?: string) => normaliseSurnames(a, b);

describe('linkage normalisation', () => {
  it('folds case and accents and drops punctuation', () => {
    assert.equal(normaliseName('  Muñoz-Ibáñez '), 'MUNOZ IBANEZ');
    assert.equal(normaliseName("O'Brien"), 'OBRIEN');
    assert.equal(normaliseName('JESÚS'), normaliseName('jesus'));
  });
  it('splits hyphenated and joined surnames and drops particles', () => {
    assert.deepEqual(nameTokens('García-López'), ['GARCIA', 'LOPEZ']);
    assert.deepEqual(nameTokens('de la Cruz'), ['CRUZ']);
    assert.deepEqual(surnames('García López').tokens, ['GARCIA', 'LOPEZ']);
    assert.deepEqual(surnames('García', 'López').tokens, ['GARCIA', 'LOPEZ']);
    assert.equal(surnames('García', 'López').joined, 'GARCIALOPEZ');
  });
  it('knows Spanish and English nicknames', () => {
    for (const [nick, formal] of [
      ['LUPE', 'GUADALUPE'],
      ['PANCHO', 'FRANCISCO'],
      ['CHUY', 'JESUS'],
      ['MEMO', 'GUILLERMO'],
      ['BILL', 'WILLIAM'],
      ['PEPE', 'JOSE'],
    ] as const) {
      assert.ok(nicknameEquivalent(nick, formal), `${nick}/${formal}`);
      assert.ok(nicknameEquivalent(formal, nick), `${formal}/${nick}`);
      assert.equal(canonicalGivenName(nick), formal);
    }
    assert.equal(nicknameEquivalent('LUPE', 'FRANCISCO'), false);
    // Two nicknames of one formal name.
    assert.ok(nicknameEquivalent('BILL', 'WILL'));
  });
});

describe('linkage comparisons', () => {
  it('first names: exact, nickname, typo, different, missing', () => {
    assert.equal(compareFirstNames(['GUADALUPE'], ['GUADALUPE']), 'exact');
    assert.equal(compareFirstNames(['LUPE'], ['GUADALUPE']), 'nickname');
    assert.equal(compareFirstNames(['GUADALUEP'], ['GUADALUPE']), 'fuzzy');
    assert.equal(compareFirstNames(['JOSE', 'LUIS'], ['LUIS']), 'fuzzy');
    assert.equal(compareFirstNames(['MARIA'], ['ROSA']), 'different');
    assert.equal(compareFirstNames([], ['ROSA']), 'missing');
  });
  it('surnames: both in either order, hyphenated, joined, missing second, typo, different', () => {
    assert.equal(
      compareSurnames(surnames('García', 'López'), surnames('López', 'García')),
      'exact',
    );
    assert.equal(compareSurnames(surnames('García', 'López'), surnames('García-López')), 'exact');
    assert.equal(compareSurnames(surnames('García', 'López'), surnames('García López')), 'exact');
    assert.equal(compareSurnames(surnames('García', 'López'), surnames('GarciaLopez')), 'exact');
    assert.equal(compareSurnames(surnames('García', 'López'), surnames('García')), 'partial');
    assert.equal(compareSurnames(surnames('Garcia'), surnames('GarciaLopez')), 'partial');
    assert.equal(compareSurnames(surnames('Hernández'), surnames('Hernadez')), 'fuzzy');
    assert.equal(compareSurnames(surnames('García', 'López'), surnames('Smith')), 'different');
    // A cousin shares one surname and differs in the other: not the same surnames.
    assert.equal(
      compareSurnames(surnames('García', 'López'), surnames('García', 'Ruiz')),
      'different',
    );
  });
  it('birth dates: exact, day and month transposed, a year off, different', () => {
    assert.equal(compareBirthDates('2014-03-07', '2014-03-07'), 'exact');
    assert.equal(compareBirthDates('2014-03-07', '2014-07-03'), 'transposed');
    assert.equal(compareBirthDates('2014-03-07', '2015-03-07'), 'yearOff');
    assert.equal(compareBirthDates('2014-03-07', '2012-03-07'), 'different');
    assert.equal(compareBirthDates('2014-03-07', '2014-03-08'), 'different');
  });
  it('sex, birth place and parents', () => {
    assert.equal(compareSex('F', 'F'), 'same');
    assert.equal(compareSex('F', 'M'), 'different');
    const place = (birthCity: string, birthState: string, birthCountry: string) => ({
      birthCity: normaliseName(birthCity),
      birthState,
      birthCountry,
    });
    assert.equal(
      compareBirthPlaces(place('Salinas', 'CA', 'US'), place('SALINAS', 'CA', 'US')),
      'exact',
    );
    assert.equal(
      compareBirthPlaces(place('Salinas', 'CA', 'US'), place('Fresno', 'CA', 'US')),
      'country',
    );
    assert.equal(
      compareBirthPlaces(place('Salinas', '', 'US'), place('Salinas', '', 'MX')),
      'different',
    );
    assert.equal(compareBirthPlaces(place('', '', ''), place('Salinas', '', 'MX')), 'missing');
    assert.equal(compareParents(['JOSE HERNANDEZ'], ['MARIA LOPEZ', 'JOSE HERNANDEZ']), 'exact');
    assert.equal(compareParents(['JOSE HERNANDEZ'], ['JOSUE HERNAN']), 'fuzzy');
    assert.equal(compareParents(['JOSE HERNANDEZ'], ['PETER SMITH']), 'different');
    assert.equal(compareParents([], ['PETER SMITH']), 'missing');
  });
  it('sees first and last names swapped', () => {
    const swapped = comparePeople(
      person(),
      person({ firstName: 'Hernández', lastName1: 'Guadalupe', lastName2: null }),
    );
    assert.equal(swapped.namesSwapped, true);
    assert.equal(swapped.levels.firstName, 'exact');
    const plain = comparePeople(person(), person());
    assert.equal(plain.namesSwapped, false);
  });
});

describe('linkage blocking keys', () => {
  /** Whether linking `a` finds `b` among the stored records (a's lookup keys, b's stored keys). */
  const meets = (a: Partial<LinkageFields>, b: Partial<LinkageFields>) => {
    const stored = new Set(blockingKeys(person(b)));
    return lookupKeys(person(a)).some((k) => stored.has(k));
  };
  const both = (a: Partial<LinkageFields>, b: Partial<LinkageFields>) => {
    const ab = meets(a, b);
    assert.equal(meets(b, a), ab, 'a finds b exactly when b finds a');
    return ab;
  };

  it('are a few safe integers per record, each once, and the same for the same person', () => {
    const keys = blockingKeys(person());
    assert.ok(keys.length >= 3 && keys.length <= 6, keys.join());
    assert.equal(new Set(keys).size, keys.length);
    assert.ok(keys.every((k) => Number.isSafeInteger(k) && k >= 0));
    assert.deepEqual(blockingKeys(person()), keys);
    assert.ok(both({}, {}));
  });
  it('never meet on the birth date alone', () => {
    assert.equal(both({}, { firstName: 'Rosa', lastName1: 'Ortiz', lastName2: 'Vega' }), false);
  });
  it('meet through a nickname with the year off, and sound-alike surnames with day and month swapped', () => {
    const lupe = { firstName: 'Lupe', lastName1: 'Hernández', lastName2: null };
    assert.ok(both({}, { ...lupe, birthDate: '2015-03-07' }), 'a year off, one surname shared');
    assert.ok(both({}, { ...lupe, lastName1: 'López', birthDate: '2013-03-07' }), 'the other');
    assert.equal(both({}, { ...lupe, birthDate: '2016-03-07' }), false, 'two years off');
    assert.equal(
      both({}, { ...lupe, lastName1: 'Ortiz', birthDate: '2015-03-07' }),
      false,
      'a year off and no surname initial shared',
    );
    assert.ok(
      both(
        { lastName1: 'Hernández', lastName2: null },
        { firstName: 'Rosa', lastName1: 'Hernandes', lastName2: null, birthDate: '2014-07-03' },
      ),
    );
  });
  it('meet first and last names swapped, and a missing second surname', () => {
    assert.ok(both({}, { firstName: 'Hernández', lastName1: 'Guadalupe', lastName2: null }));
    assert.ok(both({}, { firstName: 'Rosa', lastName2: null }));
  });
  it('find a surname in any year and in one year by key range', () => {
    const [surname] = blockingKeys(person()).filter((k) => {
      const any = keyRange('surname', phoneticCode('HERNANDEZ'));
      return k >= any.from && k < any.to;
    });
    assert.ok(surname !== undefined);
    const year = keyRange('surname', phoneticCode('HERNANDEZ'), yearRest(2014));
    assert.ok(surname >= year.from && surname < year.to);
    const other = keyRange('surname', phoneticCode('HERNANDEZ'), yearRest(2015));
    assert.ok(!(surname >= other.from && surname < other.to));
  });
});

describe('Fellegi–Sunter scoring', () => {
  const score = (other: Partial<LinkageFields>, mb = false) =>
    scoreComparison(defaultWeights, comparePeople(person(), person(other)), mb);

  it('links the same child through a nickname, a missing second surname and dropped accents', () => {
    const s = score({ firstName: 'Lupe', lastName1: 'Hernandez', lastName2: null });
    assert.equal(decide(s, thresholds), 'link');
    assert.equal(s.contributions.find((c) => c.field === 'firstName')?.level, 'nickname');
    assert.ok(s.contributions.every((c) => Number.isFinite(c.weight)));
    const sum = s.contributions.reduce((t, c) => t + c.weight, 0);
    assert.ok(Math.abs(sum - s.score) < 0.01, 'the score is the sum of the contributions');
  });
  it('keeps siblings apart: same family, different first name and birth date', () => {
    const s = score({ firstName: 'Rosa', birthDate: '2011-09-02' });
    assert.equal(decide(s, thresholds), 'new');
  });
  it('never auto-links twins: multiple birth flag and different first names', () => {
    const twin = score({ firstName: 'Rosa', multipleBirth: true }, true);
    assert.equal(twin.twinRule, true);
    assert.notEqual(decide(twin, thresholds), 'link');
    // The same twin again (same first name) still links.
    const same = score({ multipleBirth: true }, true);
    assert.equal(same.twinRule, false);
    assert.equal(decide(same, thresholds), 'link');
  });
  it('pinned weights win over estimated ones', () => {
    const w = resolveWeights(
      { sex: { same: { m: 0.5, u: 0.4 }, different: { m: 0.5, u: 0.6 } } },
      { sex: { same: { m: 0.9 } } },
    );
    assert.deepEqual(w.sex.same, { m: 0.9, u: 0.4 });
    assert.deepEqual(w.birthDate.exact, defaultWeights.birthDate.exact);
  });
});

describe('EM estimation of m and u', () => {
  it('recovers that birth date agreement separates matches from non-matches', () => {
    const levels = (over: Partial<Levels>): Levels => ({
      firstName: 'exact',
      lastName: 'exact',
      birthDate: 'exact',
      sex: 'same',
      birthPlace: 'exact',
      parents: 'exact',
      ...over,
    });
    const matches = Array.from({ length: 300 }, (_, i) =>
      levels(i % 10 === 0 ? { birthDate: 'transposed' } : {}),
    );
    // Blocked pairs of different children agree on what their blocking key shares, now and then.
    const nonMatches = Array.from({ length: 700 }, (_, i) =>
      levels({
        firstName: i % 20 === 0 ? 'exact' : 'different',
        lastName: i % 3 === 0 ? 'exact' : 'different',
        birthDate: i % 3 === 1 ? 'exact' : 'different',
        sex: i % 2 === 0 ? 'same' : 'different',
        birthPlace: 'country',
        parents: 'different',
      }),
    );
    const random = Array.from({ length: 2000 }, (_, i) =>
      levels({
        firstName: i % 50 === 0 ? 'exact' : 'different',
        lastName: i % 40 === 0 ? 'exact' : 'different',
        birthDate: i % 500 === 0 ? 'exact' : 'different',
        sex: i % 2 === 0 ? 'same' : 'different',
        birthPlace: i % 3 === 0 ? 'exact' : 'country',
        parents: 'different',
      }),
    );
    const result = estimateWeights([...matches, ...nonMatches], random);
    assert.ok(Math.abs(result.lambda - 0.3) < 0.05, `lambda ${result.lambda}`);
    assert.ok(result.weights.firstName.exact.m > 0.9, `m ${result.weights.firstName.exact.m}`);
    assert.ok(result.weights.birthDate.exact.u < 0.01, `u ${result.weights.birthDate.exact.u}`);
    const pinned = estimateWeights([...matches, ...nonMatches], random, {
      pinned: { sex: { same: { m: 0.77 } } },
    });
    assert.equal(pinned.weights.sex.same.m, 0.77, 'a pinned m is not re-estimated');
  });
});
