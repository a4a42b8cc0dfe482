// Unit tests of the HTTP surface with a fake database check (named so: `fakeDatabase`). The same
// routes run against a real SQLite store and a real listening server in test/integration.
import assert from 'node:assert/strict';
import express from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { problemHandler } from '../../src/api/error-handler.js';
import { BadRequest } from '../../src/api/problem.js';
import { loadConfig } from '../../src/config/index.js';

const config = loadConfig({ configDir: 'config', env: { NODE_ENV: 'test' } });

function fakeDatabase(up: boolean) {
  return async () => {
    if (!up) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
  };
}

function appWith(dbUp = true, logger = pino({ level: 'silent' })) {
  return createApp(config, { logger, checkDatabase: fakeDatabase(dbUp) });
}

describe('HTTP app', () => {
  it('answers liveness without asking the database', async () => {
    const res = await request(appWith(false)).get('/healthz').expect(200);
    assert.deepEqual(res.body, { status: 'ok' });
  });

  it('answers readiness 200 when the database answers and 503 problem+json when it does not', async () => {
    await request(appWith(true)).get('/readyz').expect(200);
    const res = await request(appWith(false)).get('/readyz').expect(503);
    assert.match(res.headers['content-type']!, /^application\/problem\+json/);
    assert.equal(res.body.status, 503);
    assert.doesNotMatch(
      JSON.stringify(res.body),
      /ECONNREFUSED/,
      'internal detail stays in the log',
    );
  });

  it('serves Prometheus metrics including HTTP request durations by route', async () => {
    const app = appWith();
    await request(app).get('/healthz');
    const res = await request(app).get('/metrics').expect(200);
    assert.match(res.text, /continuum_http_request_duration_seconds_count\{[^}]*route="\/healthz"/);
    assert.match(res.text, /process_cpu_user_seconds_total/);
  });

  it('answers unknown paths with RFC 9457 problem+json carrying the request id', async () => {
    const res = await request(appWith()).get('/nope').set('X-Request-Id', 'req-123').expect(404);
    assert.match(res.headers['content-type']!, /^application\/problem\+json/);
    assert.equal(res.headers['x-request-id'], 'req-123');
    assert.equal(res.body.title, 'Not Found');
    assert.equal(res.body.requestId, 'req-123');
    assert.equal(res.body.instance, '/nope');
  });

  it('does not echo an unsafe request id', async () => {
    const res = await request(appWith())
      .get('/healthz')
      .set('X-Request-Id', '<script>')
      .expect(200);
    assert.match(res.headers['x-request-id']!, /^[0-9a-f-]{36}$/);
  });

  it('refuses malformed JSON bodies with a 400 problem', async () => {
    const res = await request(appWith())
      .post('/api/v1/states')
      .set('Content-Type', 'application/json')
      .send('{"broken":')
      .expect(400);
    assert.equal(res.body.status, 400);
  });

  it('publishes the OpenAPI 3.1 document and the exchange JSON Schema', async () => {
    const app = appWith();
    const openapi = await request(app).get('/api/v1/openapi.json').expect(200);
    assert.equal(openapi.body.openapi, '3.1.0');
    for (const p of [
      '/healthz',
      '/readyz',
      '/metrics',
      '/api/v1/schema/exchange.json',
      '/api/v1/states',
    ]) {
      assert.ok(openapi.body.paths[p], `OpenAPI describes ${p}`);
    }
    const schema = await request(app).get('/api/v1/schema/exchange.json').expect(200);
    assert.match(schema.headers['content-type']!, /^application\/schema\+json/);
    const body = JSON.parse(schema.text);
    assert.equal(body.$schema, 'https://json-schema.org/draft/2020-12/schema');
    assert.ok(body.properties.student && body.properties.enrollments);
  });

  it('lists the configured states and how they sign in', async () => {
    const res = await request(appWith()).get('/api/v1/states').expect(200);
    assert.deepEqual(
      res.body.states.map((s: { code: string }) => s.code),
      ['CA', 'FL', 'TX', 'WA'],
    );
    assert.equal(res.body.states[0].signIn, 'none');
  });
});

describe('problem handler', () => {
  function appThrowing(error: unknown, logged: unknown[]) {
    const logger = pino(
      { level: 'error' },
      { write: (line: string) => logged.push(JSON.parse(line)) },
    );
    const app = express();
    app.use((req, _res, next) => {
      Object.assign(req, { id: 'rid-1', log: logger });
      next();
    });
    app.get('/boom', () => {
      throw error;
    });
    app.use(problemHandler);
    return app;
  }

  it('answers an unexpected error with a generic 500, logging it with the request id', async () => {
    const logged: unknown[] = [];
    const secret = new Error('password authentication failed for user "continuum" at db.internal');
    const res = await request(appThrowing(secret, logged)).get('/boom').expect(500);
    assert.equal(res.body.title, 'Internal Server Error');
    assert.equal(res.body.requestId, 'rid-1');
    assert.doesNotMatch(res.text, /password|db\.internal|at /, 'no message or stack leaks');
    assert.equal(logged.length, 1);
    assert.match(JSON.stringify(logged[0]), /rid-1/);
  });

  it('renders a known problem with its status and field errors', async () => {
    const problem = new BadRequest('2 fields are invalid', [
      { path: 'student.sex', reason: 'unknown code' },
    ]);
    const res = await request(appThrowing(problem, [])).get('/boom').expect(400);
    assert.equal(res.body.type, 'https://continuum.example/problems/bad-request');
    assert.deepEqual(res.body.errors, [{ path: 'student.sex', reason: 'unknown code' }]);
  });
});
