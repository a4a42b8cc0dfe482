// POST /api/v1/submissions and its reads, over HTTP (supertest on createApp) with a real store
// on every dialect and the real CA mapping (mappings/ca-csv.yaml).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import type { Config } from '../../src/config/index.js';
import { generateDemoDataset, renderDemoFiles } from '../../src/demo/index.js';
import { checkStore, closeStore, initStore, migrate, upsertStates } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { testDatabases } from '../helpers/databases.js';
import { tableCounts, withCaCsvField } from '../helpers/ingest-data.js';

const CA_KEY = 'ca-test-key-7f3a9c';
const TX_KEY = 'tx-test-key-51be02';
const sha = (key: string) => createHash('sha256').update(key).digest('hex');

function testConfig(maxUploadBytes?: number): Config {
  const config = loadConfig({ configDir: 'config', env: { NODE_ENV: 'test' } });
  for (const state of config.states) {
    if (state.code === 'CA') state.submissionKeySha256 = sha(CA_KEY);
    if (state.code === 'TX') state.submissionKeySha256 = sha(TX_KEY);
  }
  if (maxUploadBytes !== undefined) config.ingest.maxUploadBytes = maxUploadBytes;
  return config;
}

const dataset = generateDemoDataset({ children: 40, seed: 5 });
const caFile = renderDemoFiles(dataset).CA;

for (const db of testDatabases()) {
  describe(`submissions API on ${db.name}`, function () {
    this.timeout(60_000);
    let store: Store;
    let app: ReturnType<typeof createApp>;
    const config = testConfig();

    before(async function () {
      store = await initStore({ url: await db.create(this) });
      await migrate(store.sequelize);
      await upsertStates(store, config.states);
      app = createApp(config, {
        logger: pino({ level: 'silent' }),
        checkDatabase: () => checkStore(store),
        store,
      });
    });
    after(async () => {
      await closeStore(store);
      await db.drop();
    });

    const upload = (body: Buffer, key?: string, state = 'CA') => {
      const req = request(app)
        .post(`/api/v1/submissions?state=${state}`)
        .set('Content-Type', 'text/csv')
        .set('X-File-Name', 'ca-migrant-students.csv');
      if (key) req.set('Authorization', `Bearer ${key}`);
      return req.send(body);
    };

    it('answers 401 problem+json without a key or with a wrong one, and 403 for another state', async () => {
      const before = await tableCounts(store);
      const none = await upload(caFile).expect(401);
      assert.match(none.headers['content-type']!, /^application\/problem\+json/);
      assert.match(none.headers['www-authenticate']!, /^Bearer /);
      assert.equal(none.body.status, 401);
      await upload(caFile, 'not-the-key').expect(401);
      const basic = await request(app)
        .post('/api/v1/submissions?state=CA')
        .set('Authorization', `Basic ${Buffer.from(`x:${CA_KEY}`).toString('base64')}`)
        .send(caFile)
        .expect(401);
      assert.equal(basic.body.title, 'Unauthorized');
      const other = await upload(caFile, TX_KEY, 'CA').expect(403);
      assert.match(other.body.detail, /TX/);
      await upload(caFile, CA_KEY, '').expect(400);
      assert.deepEqual(await tableCounts(store), before, 'nothing stored');
    });

    let submissionId: number;

    it('stores a file: 201 with the summary and its Location; the same file again is 200 duplicate', async () => {
      const res = await upload(caFile, CA_KEY).expect(201);
      assert.equal(res.body.status, 'completed');
      assert.equal(res.body.duplicate, false);
      assert.equal(res.body.acceptedCount, dataset.byState.CA.length);
      assert.deepEqual(res.body.rejects, []);
      assert.equal(res.body.fileName, 'ca-migrant-students.csv');
      submissionId = res.body.submissionId;
      assert.equal(res.headers['location'], `/api/v1/submissions/${submissionId}`);
      const before = await tableCounts(store);
      const again = await upload(caFile, CA_KEY).expect(200);
      assert.equal(again.body.duplicate, true);
      assert.equal(again.body.submissionId, submissionId);
      assert.deepEqual(await tableCounts(store), before);
    });

    it('reads a submission back for its own state only', async () => {
      const res = await request(app)
        .get(`/api/v1/submissions/${submissionId}`)
        .set('Authorization', `Bearer ${CA_KEY}`)
        .expect(200);
      assert.equal(res.body.state, 'CA');
      assert.equal(res.body.fileSha256, createHash('sha256').update(caFile).digest('hex'));
      await request(app).get(`/api/v1/submissions/${submissionId}`).expect(401);
      await request(app)
        .get(`/api/v1/submissions/${submissionId}`)
        .set('Authorization', `Bearer ${TX_KEY}`)
        .expect(403);
      await request(app)
        .get('/api/v1/submissions/999999')
        .set('Authorization', `Bearer ${CA_KEY}`)
        .expect(404);
    });

    it('stores the good records of a hostile file and lists its rejects as JSON and CSV', async () => {
      const hostile = withCaCsvField(
        withCaCsvField(caFile, 2, 'BIRTH_DATE', '02/30/2010'),
        4,
        'SEX',
        '=cmd|calc',
      );
      // application/json is not parsed as JSON: the body is the file whatever its type. (A
      // string: supertest would serialize a Buffer sent as application/json.)
      const res = await request(app)
        .post('/api/v1/submissions?state=ca')
        .set('Authorization', `Bearer ${CA_KEY}`)
        .set('Content-Type', 'application/json')
        .send(hostile.toString('utf8'));
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.ok(res.body.rejectedCount >= 1, JSON.stringify(res.body));
      assert.ok(res.body.acceptedCount >= dataset.byState.CA.length - 2);
      const first = res.body.rejects.find((r: { field: string }) => r.field === 'BIRTH_DATE');
      assert.deepEqual(
        { file: first.file, row: first.row, target: first.target, value: first.value },
        { file: 'ca-upload', row: 2, target: 'student.birthDate', value: '02/30/2010' },
      );
      const id = res.body.submissionId;
      const json = await request(app)
        .get(`/api/v1/submissions/${id}/rejects`)
        .set('Authorization', `Bearer ${CA_KEY}`)
        .expect(200);
      assert.deepEqual(json.body.rejects, res.body.rejects);
      for (const csvRequest of [
        request(app).get(`/api/v1/submissions/${id}/rejects`).set('Accept', 'text/csv'),
        request(app).get(`/api/v1/submissions/${id}/rejects?format=csv`),
      ]) {
        const csv = await csvRequest.set('Authorization', `Bearer ${CA_KEY}`).expect(200);
        assert.match(csv.headers['content-type']!, /^text\/csv/);
        const lines = csv.text.trimEnd().split('\r\n');
        assert.equal(lines[0], 'file,row,field,target,value,reason');
        assert.equal(lines.length, res.body.rejects.length + 1);
        assert.match(csv.text, /^ca-upload,2,BIRTH_DATE,student\.birthDate,02\/30\/2010,/m);
        assert.doesNotMatch(csv.text, /,=cmd/, 'a formula is never a cell of its own');
      }
      await request(app)
        .get(`/api/v1/submissions/${id}/rejects`)
        .set('Authorization', `Bearer ${TX_KEY}`)
        .expect(403);
    });

    it('answers 422 problem+json for a refused file, which is recorded as refused and nothing else', async () => {
      const before = await tableCounts(store);
      const res = await upload(Buffer.from('NOT,A,CA,FILE\r\n1,2,3,4\r\n'), CA_KEY).expect(422);
      assert.match(res.headers['content-type']!, /^application\/problem\+json/);
      assert.equal(res.body.status, 422);
      assert.match(res.body.detail, /refused: line 1: no column of the header matches/);
      assert.equal(res.body.submission.status, 'refused');
      assert.deepEqual(await tableCounts(store), {
        ...before,
        submissions: before['submissions']! + 1,
      });
      const read = await request(app)
        .get(`/api/v1/submissions/${res.body.submission.submissionId}`)
        .set('Authorization', `Bearer ${CA_KEY}`)
        .expect(200);
      assert.equal(read.body.status, 'refused');
      assert.match(read.body.error, /no column of the header/);
    });

    it('answers 413 for a file over ingest.maxUploadBytes, storing nothing', async () => {
      const small = createApp(testConfig(1000), {
        logger: pino({ level: 'silent' }),
        checkDatabase: () => checkStore(store),
        store,
      });
      const before = await tableCounts(store);
      const res = await request(small)
        .post('/api/v1/submissions?state=CA')
        .set('Authorization', `Bearer ${CA_KEY}`)
        .send(caFile)
        .expect(413);
      assert.equal(res.body.title, 'Payload Too Large');
      assert.deepEqual(await tableCounts(store), before);
    });

    it('answers 413 to a chunked upload (no Content-Length) once it passes the limit', async () => {
      const small = createApp(testConfig(1000), {
        logger: pino({ level: 'silent' }),
        checkDatabase: () => checkStore(store),
        store,
      });
      const server = small.listen(0, '127.0.0.1');
      await once(server, 'listening');
      try {
        const { port } = server.address() as AddressInfo;
        const status = await new Promise<number>((resolve, reject) => {
          const req = http.request(
            { port, host: '127.0.0.1', method: 'POST', path: '/api/v1/submissions?state=CA' },
            (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            },
          );
          req.setHeader('Authorization', `Bearer ${CA_KEY}`);
          req.on('error', reject);
          // Chunked: the size is not known before the body passes the limit.
          for (let i = 0; i < 4; i++) req.write(caFile.subarray(i * 600, (i + 1) * 600));
          req.end();
        });
        assert.equal(status, 413);
      } finally {
        server.close();
      }
    });

    it('describes every submissions route in the OpenAPI document', async () => {
      const res = await request(app).get('/api/v1/openapi.json').expect(200);
      assert.ok(res.body.paths['/api/v1/submissions'].post);
      assert.ok(res.body.paths['/api/v1/submissions/{id}'].get);
      assert.ok(res.body.paths['/api/v1/submissions/{id}/rejects'].get);
    });
  });
}
