// Linking inside ingest across states, twins kept apart, and merge/split with two-person
// validation, locks, auto-approval and revert, on every dialect (test/helpers/databases.ts).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { loadConfig } from '../../src/config/index.js';
import { generateDemoDataset, writeCaCsv, writeWaJsonl } from '../../src/demo/index.js';
import { exampleExchangeDocument } from '../../src/exchange/example-document.js';
import type { ExchangeDocument } from '../../src/exchange/types.js';
import { ingestFile, loadStateMapping } from '../../src/ingest/index.js';
import type { CompiledMapping } from '../../src/ingest/index.js';
import { revertLinkageChange } from '../../src/linkage/changes.js';
import { relinkAll } from '../../src/linkage/relink.js';
import { defaultLinkageSettings } from '../../src/linkage/settings.js';
import {
  WorklistError,
  autoApproveDue,
  escalateWorklist,
  resolveNearMatch,
  startMerge,
  startSplit,
  validateItem,
} from '../../src/linkage/worklist.js';
import type { WorklistActor } from '../../src/linkage/worklist.js';
import {
  closeStore,
  createSubmission,
  findStudentRecordId,
  initStore,
  migrate,
  readStudentDocument,
  saveStudentDocuments,
  upsertStates,
} from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { linkageSnapshot } from '../../src/store/repositories/linkage-children.js';
import { listRecordLinks } from '../../src/store/repositories/record-links.js';
import { createWorklistItem, getWorklistItem } from '../../src/store/repositories/worklist.js';
import { testDatabases } from '../helpers/databases.js';

const config = loadConfig({ configDir: 'config', env: { NODE_ENV: 'test' } });
const settings = defaultLinkageSettings();
const dataset = generateDemoDataset({ children: 300, seed: 66 });

const admin = (actor: string): WorklistActor => ({
  actor,
  state: 'CA',
  roles: ['state-data-admin'],
  district: null,
});

async function storeOne(store: Store, state: string, changes: (d: ExchangeDocument) => void) {
  const submission = await createSubmission(store, {
    stateCode: state,
    fileName: 'one.json',
    fileSha256: randomBytes(32).toString('hex'),
  });
  const document = structuredClone(exampleExchangeDocument);
  document.student.stateStudentId = randomBytes(5).toString('hex');
  changes(document);
  const ids = await store.sequelize.transaction((tx) =>
    saveStudentDocuments(store, tx, submission, [{ row: 1, document, stored: false }], {
      newChildren: true,
    }),
  );
  const id = ids.get(document.student.stateStudentId)!;
  return { id, childId: (await readStudentDocument(store, id))!.childId! };
}

for (const db of testDatabases()) {
  describe(`record linkage on ${db.name}`, function () {
    this.timeout(120_000);
    let store: Store;
    let ca: CompiledMapping;
    let wa: CompiledMapping;

    before(async function () {
      store = await initStore({ url: await db.create(this) });
      await migrate(store.sequelize);
      await upsertStates(store, config.states);
      ca = await loadStateMapping(
        config,
        config.states.find((s) => s.code === 'CA')!,
      );
      wa = await loadStateMapping(
        config,
        config.states.find((s) => s.code === 'WA')!,
      );
    });
    after(async () => {
      await closeStore(store);
      await db.drop();
    });

    it('links a child another state already holds as its files are ingested; twins stay apart', async () => {
      const ingest = (state: 'CA' | 'WA', body: Buffer) =>
        ingestFile({
          store,
          config,
          state,
          mapping: state === 'CA' ? ca : wa,
          fileName: `${state}.file`,
          input: body,
          today: dataset.today,
        });
      const first = await ingest('CA', writeCaCsv(dataset.byState.CA));
      assert.equal(first.status, 'completed');
      const second = await ingest('WA', writeWaJsonl(dataset.byState.WA));
      assert.equal(second.status, 'completed');
      const childOf = async (state: string, id: string) => {
        const recordId = await findStudentRecordId(store, state, id);
        return recordId === null ? null : (await readStudentDocument(store, recordId))!.childId;
      };
      let both = 0;
      let together = 0;
      const childOfPerson = new Map<string, string | null>();
      for (const p of dataset.people) {
        const ca1 = p.records.find((r) => r.state === 'CA');
        const wa1 = p.records.find((r) => r.state === 'WA');
        const c = ca1 ? await childOf('CA', ca1.stateStudentId) : null;
        const w = wa1 ? await childOf('WA', wa1.stateStudentId) : null;
        childOfPerson.set(p.personId, c ?? w);
        if (ca1 && wa1) {
          both++;
          if (c === w) together++;
        }
      }
      assert.ok(both > 5, `only ${both} children in both states`);
      assert.ok(together >= both - 1, `${together} of ${both} linked`);
      // A record that links is stored with the stored child: no child is left without a record.
      const [orphans] = await store.sequelize.query<{ n: number }>(
        `SELECT COUNT(*) AS n FROM children c
         WHERE NOT EXISTS (SELECT 1 FROM student_records r WHERE r.child_id = c.child_id)`,
        { type: QueryTypes.SELECT },
      );
      assert.equal(Number(orphans?.n), 0, 'children without a record');
      // No child holds two different people; twins above all.
      const people = new Map<string, string>();
      for (const [person, child] of childOfPerson) {
        if (!child) continue;
        assert.equal(people.get(child) ?? person, person, `child ${child} holds two people`);
        people.set(child, person);
      }
      let twinPairs = 0;
      for (const t of dataset.people.filter((p) => p.twinOf)) {
        const [mine, theirs] = [childOfPerson.get(t.personId), childOfPerson.get(t.twinOf!)];
        if (!mine || !theirs) continue;
        twinPairs++;
        assert.notEqual(mine, theirs, `twins ${t.personId} and ${t.twinOf} share a child`);
      }
      assert.ok(twinPairs > 0, 'the dataset has twins in these states');
      // Why these were linked: an explanation with every field's contribution.
      const linked = dataset.people.find((p) => {
        const w = p.records.find((r) => r.state === 'WA');
        return w && p.records.some((r) => r.state === 'CA');
      })!;
      const child = childOfPerson.get(linked.personId)!;
      const links = await listRecordLinks(store, child);
      assert.equal(links.length, 1);
      assert.equal(links[0]!.method, 'auto');
      const why = links[0]!.contributions as { contributions: { field: string; weight: number }[] };
      assert.deepEqual(
        why.contributions.map((c) => c.field),
        ['firstName', 'lastName', 'birthDate', 'sex', 'birthPlace', 'parents'],
      );
      assert.ok(links[0]!.score! >= settings.thresholds.upper);
    });

    it('merges only when a different administrator validates, and locks the children meanwhile', async () => {
      const a = await storeOne(store, 'CA', () => undefined);
      const b = await storeOne(store, 'TX', (d) => (d.student.firstName = 'Pepe'));
      const alice = admin(`alice-${db.name}`);
      const bob = admin(`bob-${db.name}`);
      const item = await startMerge(store, settings, alice, {
        childIds: [a.childId, b.childId],
        masterChildId: a.childId,
      });
      assert.equal(item.status, 'pending');
      // Locked: no second change on the same children while this one waits.
      const c = await storeOne(store, 'FL', () => undefined);
      await assert.rejects(
        startMerge(store, settings, bob, {
          childIds: [c.childId, a.childId],
          masterChildId: c.childId,
        }),
        (err: unknown) => err instanceof WorklistError && err.reason === 'conflict',
      );
      await assert.rejects(
        validateItem(store, settings, alice, item.id, true),
        (err: unknown) => err instanceof WorklistError && err.reason === 'forbidden',
        'the one who started it may not validate it',
      );
      let snapshot = await linkageSnapshot(store, undefined, [a.childId, b.childId]);
      assert.equal(snapshot.records[String(b.id)], b.childId, 'nothing changes before validation');
      const done = await validateItem(store, settings, bob, item.id, true);
      assert.equal(done.status, 'approved');
      assert.equal(done.validatedBy, bob.actor);
      snapshot = await linkageSnapshot(store, undefined, [a.childId, b.childId]);
      assert.equal(snapshot.records[String(b.id)], a.childId, 'the master id survives');
      assert.deepEqual(snapshot.children[b.childId], { status: 'merged', mergedInto: a.childId });

      // Split it again: the master keeps its id, the record split off gets a new one.
      const split = await startSplit(store, settings, bob, {
        childId: a.childId,
        groups: [[b.id]],
      });
      await validateItem(store, settings, alice, split.id, true);
      const after = await linkageSnapshot(store, undefined, [a.childId]);
      assert.deepEqual(Object.keys(after.records), [String(a.id)]);
      const moved = (await readStudentDocument(store, b.id))!.childId!;
      assert.notEqual(moved, a.childId);
      assert.notEqual(moved, b.childId);

      // Every change is reversible: revert the split.
      const splitItem = (await getWorklistItem(store, split.id))!;
      await revertLinkageChange(store, splitItem.changeId!, alice.actor);
      assert.equal((await readStudentDocument(store, b.id))!.childId, a.childId);
    });

    it('rejecting leaves everything as it was and unlocks; unvalidated items auto-approve', async () => {
      const a = await storeOne(store, 'CA', () => undefined);
      const b = await storeOne(store, 'WA', () => undefined);
      const alice = admin(`carol-${db.name}`);
      const bob = admin(`dave-${db.name}`);
      const item = await startMerge(store, settings, alice, {
        childIds: [a.childId, b.childId],
        masterChildId: b.childId,
      });
      await validateItem(store, settings, bob, item.id, false);
      assert.equal((await getWorklistItem(store, item.id))!.status, 'rejected');
      assert.equal((await readStudentDocument(store, a.id))!.childId, a.childId);
      // Unlocked: a new merge may start.
      const again = await startMerge(store, settings, alice, {
        childIds: [a.childId, b.childId],
        masterChildId: b.childId,
      });
      const later = new Date(Date.now() + (settings.worklist.escalationDays + 1) * 86_400_000);
      assert.ok((await autoApproveDue(store, later)) >= 1);
      const approved = (await getWorklistItem(store, again.id))!;
      assert.equal(approved.status, 'approved');
      assert.equal(approved.validatedBy, 'system:auto-approve');
      assert.equal((await readStudentDocument(store, a.id))!.childId, b.childId);
    });

    it('resolves a near match as the same child (pending a second administrator) or different', async () => {
      const a = await storeOne(store, 'CA', () => undefined);
      const b = await storeOne(store, 'TX', () => undefined);
      const now = new Date();
      const near = await createWorklistItem(store, undefined, {
        kind: 'near-match',
        status: 'open',
        stateCode: 'CA',
        level: 'state',
        district: null,
        region: null,
        assignedAt: now,
        escalatesAt: new Date(now.getTime() + 86_400_000),
        studentRecordId: b.id,
        childId: b.childId,
        candidateChildId: a.childId,
        score: 15,
        contributions: { contributions: [] },
      });
      const erin = admin(`erin-${db.name}`);
      const frank = admin(`frank-${db.name}`);
      const pending = await resolveNearMatch(store, settings, erin, near.id, 'same');
      assert.equal(pending.status, 'pending');
      assert.equal((await readStudentDocument(store, b.id))!.childId, b.childId);
      await validateItem(store, settings, frank, near.id, true);
      assert.equal((await readStudentDocument(store, b.id))!.childId, a.childId);
      const links = await listRecordLinks(store, a.childId);
      assert.equal(links.find((l) => l.studentRecordId === b.id)?.method, 'admin');
    });

    it('relinks the whole store: records stored apart are merged, twins are not, a second run changes nothing', async () => {
      const tag = randomBytes(3).toString('hex');
      const surname = `Quintanilla${tag}`;
      const [ca, tx] = [
        await storeOne(store, 'CA', (d) => {
          d.student.lastName1 = surname;
          d.student.birthDate = '2012-02-14';
        }),
        await storeOne(store, 'TX', (d) => {
          d.student.lastName1 = surname;
          d.student.lastName2 = undefined;
          d.student.firstName = 'Pepe';
          d.student.birthDate = '2012-02-14';
        }),
      ];
      const twin = await storeOne(store, 'FL', (d) => {
        d.student.lastName1 = surname;
        d.student.firstName = 'Ximena';
        d.student.sex = 'F';
        d.student.multipleBirth = true;
        d.student.birthDate = '2012-02-14';
      });
      assert.notEqual(ca.childId, tx.childId);
      const counts = await relinkAll(store, { linkage: settings });
      assert.ok(counts.merged >= 1, JSON.stringify(counts));
      assert.ok(counts.pairsCompared > 0);
      const [a, b, c] = await Promise.all(
        [ca.id, tx.id, twin.id].map(async (id) => (await readStudentDocument(store, id))!.childId),
      );
      assert.equal(a, b, 'the same child in two states is one child');
      assert.notEqual(c, a, 'a girl born the same day, flagged multiple birth, stays apart');
      const again = await relinkAll(store, { linkage: settings }, { estimate: false });
      assert.equal(again.merged, 0);
    });

    it('escalates an open item one level when its days are up', async () => {
      const a = await storeOne(store, 'CA', () => undefined);
      const now = new Date();
      const item = await createWorklistItem(store, undefined, {
        kind: 'near-match',
        status: 'open',
        stateCode: 'CA',
        level: 'district',
        district: '0600001',
        region: null,
        assignedAt: now,
        escalatesAt: new Date(now.getTime() + 86_400_000),
        studentRecordId: a.id,
        childId: a.childId,
        candidateChildId: a.childId,
      });
      assert.equal(await escalateWorklist(store, settings, now), 0, 'not due yet');
      const later = new Date(now.getTime() + 2 * 86_400_000);
      assert.ok((await escalateWorklist(store, settings, later)) >= 1);
      const moved = (await getWorklistItem(store, item.id))!;
      // No regions configured: straight from the district to the state.
      assert.equal(moved.level, 'state');
      assert.ok(moved.escalatesAt.getTime() > later.getTime());
    });
  });
}
