import { describe, expect, it } from 'vitest';
import { AppError } from './errors';
import { checkReplyTemplate, fillReplyTemplate } from './reply-templates';

const fieldsOf = (run: () => unknown) => {
  try {
    run();
  } catch (err) {
    if (err instanceof AppError) return err.details.fields;
    throw err;
  }
  return [];
};

describe('reply templates (mẫu trả lời)', () => {
  it('fills the complaint’s values into its placeholders', () => {
    const body = 'Kính gửi {{customerName}},\nKhiếu nại {{ code }} ({{subject}}) sẽ được giải quyết trước {{resolutionDueAt}}.\n{{agentName}}';
    expect(fillReplyTemplate(body, { customerName: 'Chị Lan', code: 'KN-2026-000012', subject: 'Nồi cơm hỏng', resolutionDueAt: '24/12/2026', agentName: 'Minh' })).toBe(
      'Kính gửi Chị Lan,\nKhiếu nại KN-2026-000012 (Nồi cơm hỏng) sẽ được giải quyết trước 24/12/2026.\nMinh',
    );
    expect(fillReplyTemplate('Mã {{code}}, hạn {{resolutionDueAt}}.', { code: 'KN-2026-000012' })).toBe('Mã KN-2026-000012, hạn .');
  });

  it('checks every field at once: name and body required, lengths, language, known placeholders only', () => {
    expect(fieldsOf(() => checkReplyTemplate({ name: '  ', body: '' }, true))).toEqual([
      { field: 'name', code: 'required' },
      { field: 'body', code: 'required' },
    ]);
    expect(fieldsOf(() => checkReplyTemplate({ name: 'x'.repeat(121), body: 'Xin chào {{hoTen}}', language: 'fr' as never }, true))).toEqual([
      { field: 'name', code: 'too_long' },
      { field: 'body', code: 'invalid_value' },
      { field: 'language', code: 'invalid_value' },
    ]);
    // A change checks only what it changes.
    expect(checkReplyTemplate({ body: '\r\nCảm ơn {{customerName}}.\r\n\r\n' }, false)).toEqual({ body: 'Cảm ơn {{customerName}}.' });
    expect(checkReplyTemplate({ name: ' Đã chuyển kho ', body: 'Đã chuyển bộ phận kho.' }, true)).toEqual({ name: 'Đã chuyển kho', body: 'Đã chuyển bộ phận kho.', language: 'vi' });
  });
});
