import type { Principal } from '@tocsin/http';
import { describe, expect, it } from 'vitest';
import { GroupPolicy, type GroupAccess } from './group.policy';

const policy = new GroupPolicy();
const principal = (role: Principal['role']): Principal => ({
  userId: 'u1',
  agencyId: 'a1',
  role,
  isOperator: false,
  sessionId: 's1',
});
const access = (
  relation: GroupAccess['relation'],
  callerRole: GroupAccess['callerRole'] = null,
) => ({
  groupId: 'g1',
  ownerAgencyId: relation === 'owner' ? 'a1' : 'a2',
  interagency: true,
  relation,
  callerRole,
});

describe('GroupPolicy', () => {
  it('hides groups the agency neither owns nor joined', () => {
    expect(() => policy.assertCanView(access('none'))).toThrow(
      expect.objectContaining({ kind: 'not_found' }),
    );
    expect(() => policy.assertCanView(access('invited'))).toThrow(
      expect.objectContaining({ kind: 'not_found' }),
    );
    expect(() => policy.assertCanView(access('partner'))).not.toThrow();
  });

  it('lets each agency manage only its own members', () => {
    const other = { userId: 'u9', agencyId: 'a2' };
    expect(() => policy.assertCanManageMember(principal('admin'), access('owner'), other)).toThrow(
      expect.objectContaining({ kind: 'forbidden' }),
    );
    const own = { userId: 'u2', agencyId: 'a1' };
    expect(() =>
      policy.assertCanManageMember(principal('admin'), access('partner'), own),
    ).not.toThrow();
    expect(() =>
      policy.assertCanManageMember(principal('responder'), access('owner', 'lead'), own),
    ).not.toThrow();
    expect(() =>
      policy.assertCanManageMember(principal('responder'), access('owner', 'member'), own),
    ).toThrow();
  });

  it('lets members leave but not outsiders remove themselves', () => {
    const self = { userId: 'u1', agencyId: 'a1' };
    expect(() =>
      policy.assertCanManageMember(principal('observer'), access('owner', 'member'), self),
    ).not.toThrow();
    expect(() =>
      policy.assertCanManageMember(principal('observer'), access('owner'), self),
    ).toThrow();
  });

  it('lets administrators and dispatchers of an agency in the group target it', () => {
    expect(policy.canTarget(principal('dispatcher'), access('partner'))).toBe(true);
    expect(policy.canTarget(principal('responder'), access('owner', 'lead'))).toBe(false);
    expect(policy.canTarget(principal('admin'), access('invited'))).toBe(false);
  });
});
