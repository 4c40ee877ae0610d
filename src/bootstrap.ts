import { randomBytes } from 'node:crypto';
import type { Config } from './config';
import type { Database } from './db/open';
import { addStaffUser, countStaffUsers, MIN_PASSWORD_LENGTH } from './commands/staff-accounts';
import { AppError, fieldErrorMessage, type FieldError } from './domain/errors';

const SETTING: Record<string, string> = { email: 'ADMIN_EMAIL', password: 'ADMIN_PASSWORD' };

/** What is wrong with the first admin's settings, by setting, in Vietnamese and English. */
function firstAdminProblem(fields: FieldError[]): string {
  const lines = fields.map((f) => {
    const extra = f.field === 'password' && f.code === 'too_short' ? ` (≥ ${MIN_PASSWORD_LENGTH})` : '';
    return `  ${SETTING[f.field] ?? f.field}: ${fieldErrorMessage(f.code, 'vi')} / ${fieldErrorMessage(f.code, 'en')}${extra}`;
  });
  return ['Không tạo được tài khoản quản trị đầu tiên / The first admin account could not be created:', ...lines, 'Sửa biến môi trường rồi chạy lại / Fix the setting and start again.'].join('\n');
}

/** On first start with no staff account, creates the admin and says how to log in. */
export async function ensureFirstAdmin(database: Database, config: Config, print: (line: string) => void): Promise<void> {
  if ((await countStaffUsers(database)) > 0) return;
  const email = config.adminEmail ?? 'admin@localhost.localdomain';
  const generated = !config.adminPassword;
  const password = config.adminPassword ?? randomBytes(12).toString('base64url');
  const admin = await addStaffUser({ database, email, name: 'Quản trị viên', role: 'admin', password }).catch((err: unknown) => {
    throw err instanceof AppError && err.details.fields ? new Error(firstAdminProblem(err.details.fields)) : err;
  });
  print(`Đã tạo tài khoản quản trị / Admin account created: ${admin.email}`);
  if (generated) print(`Mật khẩu (chỉ hiện một lần) / Password (shown once): ${password}`);
  print(`Đăng nhập tại / Log in at: ${config.baseUrl}/staff/login`);
  // While Sen runs, its embedded database is locked: staff are added in the console, not with the CLI.
  print(`Thêm nhân viên, đổi mật khẩu / Add staff, change the password: ${config.baseUrl}/staff/admin/users, ${config.baseUrl}/staff/account`);
}
