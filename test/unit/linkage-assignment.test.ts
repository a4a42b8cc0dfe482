// Worklist assignment: by the latest enrollment's district, escalation up a level at a time,
// reassignment only down or sideways, and who may work what (src/linkage/assignment.ts).
import assert from 'node:assert/strict';
import {
  adminScope,
  escalated,
  initialAssignment,
  mayReassign,
  mayWork,
} from '../../src/linkage/assignment.js';
import { defaultLinkageSettings } from '../../src/linkage/settings.js';

const settings = defaultLinkageSettings();
settings.worklist.regions = { CA: { 'region-8': ['0600001', '0600002'], 'region-9': ['0600003'] } };
const now = new Date('2026-01-05T00:00:00Z');

describe('worklist assignment', () => {
  it('starts at the district of the latest enrollment and escalates district → region → state', () => {
    const first = initialAssignment(settings, 'CA', '0600001', now);
    assert.deepEqual(
      [first.level, first.district, first.region],
      ['district', '0600001', 'region-8'],
    );
    assert.equal(first.escalatesAt.getTime() - now.getTime(), 10 * 86_400_000);
    const second = escalated(settings, first, first.escalatesAt)!;
    assert.equal(second.level, 'region');
    const third = escalated(settings, second, second.escalatesAt)!;
    assert.equal(third.level, 'state');
    assert.equal(escalated(settings, third, now), null, 'nowhere above the state');
    // A district in no region goes straight to the state.
    const lone = initialAssignment(settings, 'CA', '0699999', now);
    assert.equal(escalated(settings, lone, now)?.level, 'state');
    assert.equal(initialAssignment(settings, 'CA', null, now).level, 'state');
  });

  it('lets each administrator work only their own scope', () => {
    const district = adminScope(settings, {
      state: 'CA',
      roles: ['district-data-admin'],
      district: '0600001',
    })!;
    const region = adminScope(settings, {
      state: 'CA',
      roles: ['region-data-admin'],
      district: '0600002',
    })!;
    const state = adminScope(settings, {
      state: 'CA',
      roles: ['state-data-admin'],
      district: null,
    })!;
    assert.equal(
      adminScope(settings, { state: 'CA', roles: ['primary-user'], district: '0600001' }),
      null,
    );
    const item = initialAssignment(settings, 'CA', '0600001', now);
    assert.ok(mayWork(district, item, settings));
    assert.ok(mayWork(region, item, settings));
    assert.ok(mayWork(state, item, settings));
    const other = initialAssignment(settings, 'CA', '0600003', now);
    assert.equal(mayWork(district, other, settings), false);
    assert.equal(mayWork(region, other, settings), false);
    const up = escalated(settings, item, now)!;
    assert.equal(mayWork(district, up, settings), false, 'escalated past the district');
    assert.equal(mayWork(state, { ...item, stateCode: 'TX' }, settings), false, 'another state');
  });

  it('reassigns down or sideways, never up', () => {
    const district = adminScope(settings, {
      state: 'CA',
      roles: ['district-data-admin'],
      district: '0600001',
    })!;
    const region = adminScope(settings, {
      state: 'CA',
      roles: ['region-data-admin'],
      district: '0600001',
    })!;
    const state = adminScope(settings, {
      state: 'CA',
      roles: ['state-data-admin'],
      district: null,
    })!;
    const to = (level: 'district' | 'region' | 'state', d: string | null, r: string | null) => ({
      stateCode: 'CA',
      level,
      district: d,
      region: r,
    });
    assert.ok(mayReassign(district, to('district', '0600003', 'region-9'), settings), 'sideways');
    assert.equal(mayReassign(district, to('region', null, 'region-8'), settings), false, 'up');
    assert.ok(mayReassign(region, to('district', '0600002', 'region-8'), settings), 'down');
    assert.equal(mayReassign(region, to('district', '0600003', 'region-9'), settings), false);
    assert.ok(mayReassign(region, to('region', null, 'region-9'), settings), 'sideways');
    assert.equal(mayReassign(region, to('state', null, null), settings), false, 'up');
    assert.ok(mayReassign(state, to('region', null, 'region-9'), settings));
    assert.equal(
      mayReassign(state, { ...to('state', null, null), stateCode: 'TX' }, settings),
      false,
    );
  });
});
