import { describe, expect, it } from 'vitest';
import { ABILITY_NAMES, can, canAssignTo, rolesWith } from './index';
import { STAFF_ROLES } from '../domain/lifecycle';

describe('the role table', () => {
  it('keeps the company settings, accounts, taxonomy, backups and erasure to admins', () => {
    for (const ability of ['staff.manage', 'category.manage', 'settings.manage', 'backup.manage', 'personal_data.manage', 'authority.manage', 'root_cause.manage'] as const) {
      expect(rolesWith(ability), ability).toEqual(['admin']);
    }
  });

  it('lets an auditor read everything staff read, and write nothing but their own API tokens and saved views', () => {
    for (const ability of ABILITY_NAMES.filter((a) => a.endsWith('.read') && can('agent', a))) expect(can('auditor', ability), ability).toBe(true);
    const writes = ABILITY_NAMES.filter((a) => can('auditor', a) && !a.endsWith('.read'));
    expect(writes.sort()).toEqual(['audit.verify', 'personal_data.audit', 'token.create', 'view.own']);
  });

  it('keeps a department member to their session, notifications and the consultations addressed to them', () => {
    expect(ABILITY_NAMES.filter((a) => can('department', a)).sort()).toEqual(['consultation.answer', 'notification.read', 'session.read']);
  });

  it('gives supervisors approvals, escalations, reopening and reports, which agents lack', () => {
    for (const ability of ['proposal.approve', 'escalation.manage', 'complaint.reopen', 'report.read', 'corrective_action.manage'] as const) {
      expect(can('supervisor', ability), ability).toBe(true);
      expect(can('agent', ability), ability).toBe(false);
    }
  });

  it('withholds nothing from an admin, and lets every role ask who they are', () => {
    expect(ABILITY_NAMES.filter((a) => !can('admin', a))).toEqual([]);
    expect(STAFF_ROLES.every((r) => can(r, 'session.read'))).toBe(true);
  });

  it('lets an agent take a complaint or hand it back, and only supervisors and admins give it to someone else', () => {
    expect(canAssignTo('agent', 'me', 'me')).toBe(true);
    expect(canAssignTo('agent', 'me', null)).toBe(true);
    expect(canAssignTo('agent', 'me', 'you')).toBe(false);
    expect(canAssignTo('supervisor', 'me', 'you')).toBe(true);
    expect(canAssignTo('admin', 'me', 'you')).toBe(true);
    expect(canAssignTo('auditor', 'me', 'me')).toBe(false);
  });
});
