import { describe, expect, it } from 'vitest';
import { accountChanges, leavesNoAdmin, passwordProblem } from './staff-accounts';

describe('staff account rules', () => {
  it('wants passwords of at least 10 characters, counted as characters, that are not the email', () => {
    expect(passwordProblem('ngắn-quá', 'a@b.vn')).toBe('too_short');
    expect(passwordProblem('mậtkhẩuđủ1', 'a@b.vn')).toBeNull(); // 10 characters, more bytes
    expect(passwordProblem('Lan.Nguyen@Sen.vn', 'lan.nguyen@sen.vn')).toBe('same_as_email');
    expect(passwordProblem('một mật khẩu dài', 'lan.nguyen@sen.vn')).toBeNull();
  });

  it('refuses only a change that leaves no active admin', () => {
    expect(leavesNoAdmin(['a'], 'a', { role: 'supervisor', active: true })).toBe(true);
    expect(leavesNoAdmin(['a'], 'a', { role: 'admin', active: false })).toBe(true);
    expect(leavesNoAdmin(['a'], 'a', { role: 'admin', active: true })).toBe(false);
    expect(leavesNoAdmin(['a', 'b'], 'a', { role: 'agent', active: false })).toBe(false);
    expect(leavesNoAdmin([], 'c', { role: 'admin', active: true })).toBe(false);
    expect(leavesNoAdmin(['a'], 'c', { role: 'agent', active: false })).toBe(false);
  });

  it('lists only the fields that changed, with before and after', () => {
    expect(accountChanges({ role: 'agent', teamId: null, name: 'Lan' }, { role: 'supervisor', teamId: null, name: 'Lan' })).toEqual({
      role: ['agent', 'supervisor'],
    });
  });
});
