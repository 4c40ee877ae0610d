import { randomBytes } from 'node:crypto';
import type { Config } from './config';
import type { Database } from './db/open';
import { addStaffUser, countStaffUsers } from './commands/staff-accounts';

/** On first start with no staff account, creates the admin and says how to log in. */
export async function ensureFirstAdmin(database: Database, config: Config, print: (line: string) => void): Promise<void> {
  if ((await countStaffUsers(database)) > 0) return;
  const email = config.adminEmail ?? 'admin@localhost.localdomain';
  const generated = !config.adminPassword;
  const password = config.adminPassword ?? randomBytes(12).toString('base64url');
  await addStaffUser({ database, email, name: 'Quản trị viên', role: 'admin', password });
  print(`Đã tạo tài khoản quản trị / Admin account created: ${email}`);
  if (generated) print(`Mật khẩu (chỉ hiện một lần) / Password (shown once): ${password}`);
  print(`Đăng nhập tại / Log in at: ${config.baseUrl}/staff/login  — thêm nhân viên: npx sen user add --help`);
}
