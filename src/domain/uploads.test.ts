import { describe, expect, it } from 'vitest';
import { checkMailAttachments, MAIL_ATTACHMENT_LIMITS } from './uploads';

const sha = (n: number) => n.toString(16).padStart(64, '0');
const MB = 1024 * 1024;

describe('checkMailAttachments: what one mail may carry of the complaint’s files', () => {
  const found = new Map([
    [sha(1), { size: 2 * MB }],
    [sha(2), { size: 8 * MB }],
    [sha(3), { size: 7 * MB }],
  ]);

  it('lets files of the complaint go, up to 15 MB together', () => {
    expect(checkMailAttachments([], found)).toEqual([]);
    expect(checkMailAttachments([sha(2), sha(3)], found)).toEqual([]); // exactly 15 MB
    expect(MAIL_ATTACHMENT_LIMITS.maxTotalBytes).toBe(15 * MB);
  });

  it('refuses, by position, a file not of the complaint and one picked twice; past 15 MB or 10 files, the list', () => {
    expect(checkMailAttachments([sha(1), sha(9)], found)).toEqual([{ field: 'attachments[1]', code: 'not_found' }]);
    expect(checkMailAttachments([sha(1), sha(2), sha(1)], found)).toEqual([{ field: 'attachments[2]', code: 'duplicate' }]);
    expect(checkMailAttachments([sha(1), sha(2), sha(3)], found)).toEqual([{ field: 'attachments', code: 'attachments_too_large' }]);
    const eleven = Array.from({ length: 11 }, (_, i) => sha(100 + i));
    expect(checkMailAttachments(eleven, new Map(eleven.map((s) => [s, { size: 1 }])))).toEqual([{ field: 'attachments', code: 'too_many_files' }]);
  });
});
