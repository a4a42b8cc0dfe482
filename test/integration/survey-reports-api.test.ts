// Survey reports over real HTTP: the embargo (404 before release for anonymous callers and for
// signed-in people who did not accept the confidentiality agreement; visible to those who did;
// public after), the formats (JSON, CSV, HTML with SVG charts and no script), the agreement API
// and generation on demand.
import assert from 'node:assert/strict';
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../src/app.js';
import { closeIdentity, initIdentity, type Identity } from '../../src/identity/index.js';
import {
  identityTestStore,
  signedInAs,
  silentLogger,
  type IdentityTestStore,
  type SignedIn,
} from '../helpers/identity-sessions.js';
import { surveyReportsFromSamples } from '../helpers/survey-data.js';

const STATE_JSON = '/api/v1/survey-reports/CA/student/2025/state/CA';
const DISTRICT_HTML = '/reports/survey/CA/student/2025/district/0699001';
const DISTRICT_JSON = '/api/v1/survey-reports/CA/student/2025/district/0699001';

describe('survey reports over HTTP', function () {
  this.timeout(60_000);
  let t: IdentityTestStore;
  let identity: Identity;
  let app: Express;
  let clock = new Date('2026-09-01T12:00:00Z');
  let ordinary: SignedIn;
  let agreed: SignedIn;
  let otherState: SignedIn;
  let stateAdmin: SignedIn;

  const as = (who: SignedIn | undefined, req: request.Test) =>
    who ? req.set('Cookie', who.cookie).set('X-CSRF-Token', who.csrfToken) : req;
  const get = (path: string, who?: SignedIn) => as(who, request(app).get(path));
  const post = (path: string, body: object, who?: SignedIn) =>
    as(who, request(app).post(path)).send(body);

  before(async () => {
    t = await identityTestStore();
    // The 2025 results are released on 2026-10-15 (config/states/CA.yaml); the clock moves.
    identity = await initIdentity(t.config, t.store, silentLogger);
    app = createApp(t.config, {
      logger: silentLogger,
      checkDatabase: async () => undefined,
      identity,
      store: t.store,
      now: () => clock,
    });
    await surveyReportsFromSamples(t.store, t.config, clock);
    ordinary = await signedInAs(t, { state: 'CA', roles: ['primary-user'] });
    agreed = await signedInAs(t, { state: 'CA', roles: ['district-data-admin'] });
    otherState = await signedInAs(t, { state: 'TX', roles: ['state-data-admin'] });
    stateAdmin = await signedInAs(t, { state: 'CA', roles: ['state-data-admin'] });
    for (const who of [agreed, otherState]) {
      const res = await post('/api/v1/survey-reports/agreement', { accept: true }, who);
      assert.equal(res.status, 200, res.text);
    }
  });
  after(async () => {
    await closeIdentity(identity);
    await t.close();
  });

  describe('before the release date', () => {
    beforeEach(() => {
      clock = new Date('2026-10-14T23:59:59Z');
    });

    for (const path of [STATE_JSON, DISTRICT_JSON, DISTRICT_HTML, `${DISTRICT_JSON}?format=csv`]) {
      it(`answers 404 to an anonymous caller: ${path}`, async () => {
        const res = await get(path);
        assert.equal(res.status, 404);
        assert.doesNotMatch(res.text, /0699001.*Grade 7|respondents/);
      });
      it(`answers 404 to a signed-in person without the agreement: ${path}`, async () => {
        assert.equal((await get(path, ordinary)).status, 404);
      });
    }

    it('answers 404 to a person of another state, agreement or not', async () => {
      assert.equal((await get(STATE_JSON, otherState)).status, 404);
    });

    it('shows the report to a person of the state who accepted the agreement', async () => {
      const res = await get(DISTRICT_JSON, agreed);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.released, false);
      assert.equal(res.body.releaseDate, '2026-10-15');
      assert.match(res.headers['cache-control']!, /no-store/);
      const html = await get(DISTRICT_HTML, agreed);
      assert.equal(html.status, 200);
    });

    it('lists nothing to anonymous callers and the embargoed reports to agreed ones', async () => {
      assert.deepEqual((await get('/api/v1/survey-reports')).body.reports, []);
      assert.match((await get('/reports/survey')).text, /No report is published yet/);
      assert.deepEqual((await get('/api/v1/survey-reports', ordinary)).body.reports, []);
      const listed = (await get('/api/v1/survey-reports?survey=student', agreed)).body.reports;
      assert.ok(listed.some((r: { links: { html: string } }) => r.links.html === DISTRICT_HTML));
    });
  });

  describe('from the release date', () => {
    beforeEach(() => {
      clock = new Date('2026-10-15T00:00:00Z');
    });

    it('serves the JSON report without sign-in, with no figure of a suppressed level', async () => {
      const res = await get(DISTRICT_JSON);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.released, true);
      const hidden = res.body.levels.filter((l: { status: string }) => l.status === 'suppressed');
      assert.ok(hidden.length > 0);
      for (const l of hidden) assert.deepEqual(Object.keys(l).sort(), ['level', 'name', 'status']);
    });

    it('serves CSV', async () => {
      const res = await get(`${DISTRICT_JSON}?format=csv`);
      assert.equal(res.status, 200);
      assert.match(res.headers['content-type']!, /text\/csv/);
      const [head, ...rows] = res.text.trim().split('\r\n');
      assert.equal(
        head,
        'state,survey,year,scope,id,name,level,status,group,respondents,indicator,section,percent',
      );
      assert.ok(rows.some((r) => r.includes(',grade-11,suppressed,,,,,')));
      assert.ok(
        rows.some((r) => r.includes(',grade-7,published,migrant,12,school-connectedness,')),
      );
    });

    it('serves the public HTML page: SVG charts with title and description, tables, no script', async () => {
      const res = await get(DISTRICT_HTML);
      assert.equal(res.status, 200);
      assert.match(res.headers['content-type']!, /text\/html/);
      assert.match(
        res.text,
        /<svg[^>]+role="img"[^>]+aria-labelledby="chart-0-title chart-0-desc"/,
      );
      assert.match(res.text, /<title id="chart-0-title">/);
      assert.match(res.text, /<desc id="chart-0-desc">/);
      assert.match(res.text, /<table>/);
      // Styled by a linked style sheet (the CSP refuses inline styles), print rules included.
      const sheet = /<link rel="stylesheet" href="([^"]+)">/.exec(res.text)?.[1];
      assert.ok(sheet, 'a linked style sheet');
      assert.doesNotMatch(res.text, /<style|style="/);
      const css = await get(sheet);
      assert.equal(css.status, 200);
      assert.match(css.headers['content-type']!, /text\/css/);
      assert.match(css.text, /@media print/);
      assert.doesNotMatch(res.text, /<script/i);
      assert.match(res.text, /Not shown, to protect the confidentiality/);
    });

    it('lists the public reports on an index page with their stable addresses', async () => {
      const res = await get('/reports/survey');
      assert.equal(res.status, 200);
      assert.ok(res.text.includes(`href="${DISTRICT_HTML}"`));
      assert.doesNotMatch(res.text, /<script/i);
    });

    it('serves a combined district report and the regional and state reports', async () => {
      const combined = await get('/api/v1/survey-reports/CA/student/2025/district/0699003');
      assert.equal(combined.body.combined, true);
      assert.equal((await get('/reports/survey/CA/staff/2025/region/R01')).status, 200);
      assert.equal((await get('/reports/survey/CA/student/2025/state/CA')).status, 200);
    });

    it('answers 404 for a district without a report and for a malformed address', async () => {
      assert.equal(
        (await get('/api/v1/survey-reports/CA/student/2025/district/0699004')).status,
        404,
      );
      const page = await get('/reports/survey/CA/student/2025/district/0699004');
      assert.equal(page.status, 404);
      assert.match(page.text, /no survey report at this address/);
      assert.equal((await get('/api/v1/survey-reports/CA/parents/2025/state/CA')).status, 404);
      assert.equal((await get(`${STATE_JSON}?format=xml`)).status, 400);
    });

    it('keeps a year without a release date embargoed', async () => {
      const ca = t.config.states.find((s) => s.code === 'CA')!;
      const saved = ca.survey.releases;
      ca.survey.releases = [];
      try {
        assert.equal((await get(STATE_JSON)).status, 404);
        assert.equal((await get(STATE_JSON, agreed)).status, 200);
      } finally {
        ca.survey.releases = saved;
      }
    });
  });

  describe('the agreement and generation on demand', () => {
    it('needs {"accept": true}', async () => {
      const res = await post('/api/v1/survey-reports/agreement', {}, ordinary);
      assert.equal(res.status, 400);
      assert.match(res.headers['content-type']!, /problem\+json/);
    });

    it('reports whether the caller accepted', async () => {
      assert.equal((await get('/api/v1/survey-reports/agreement', ordinary)).body.accepted, false);
      assert.equal((await get('/api/v1/survey-reports/agreement', agreed)).body.accepted, true);
      assert.equal((await get('/api/v1/survey-reports/agreement')).status, 401);
    });

    it('regenerates the state data administrator’s own state, keeping released reports', async () => {
      const outcomes = async (body: object) => {
        const res = await post('/api/v1/survey-reports/generate', body, stateAdmin);
        assert.equal(res.status, 200, res.text);
        return res.body.generated.map((g: { state: string; survey: string; outcome: string }) => [
          g.state,
          g.survey,
          g.outcome,
        ]);
      };
      clock = new Date('2026-10-01T00:00:00Z');
      assert.deepEqual(await outcomes({ survey: 'student' }), [['CA', 'student', 'generated']]);
      clock = new Date('2026-10-20T00:00:00Z');
      assert.deepEqual(await outcomes({}), [
        ['CA', 'staff', 'kept'],
        ['CA', 'student', 'kept'],
      ]);
      assert.deepEqual(await outcomes({ survey: 'staff', force: true }), [
        ['CA', 'staff', 'generated'],
      ]);
      assert.equal((await post('/api/v1/survey-reports/generate', {}, ordinary)).status, 403);
    });

    it('describes the routes in the OpenAPI document', async () => {
      const doc = (await get('/api/v1/openapi.json')).body;
      assert.ok(doc.paths['/api/v1/survey-reports/{state}/{survey}/{year}/{scope}/{id}']);
      assert.ok(doc.components.schemas.SurveyReport);
    });
  });
});
