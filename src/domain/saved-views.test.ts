import { describe, expect, it } from 'vitest';
import { AppError } from './errors';
import { checkSavedView } from './saved-views';

const fieldsOf = (input: { name: string; query: string }) => {
  try {
    checkSavedView(input);
    return [];
  } catch (err) {
    return err instanceof AppError ? (err.details.fields ?? []).map((f) => `${f.field}:${f.code}`) : ['?'];
  }
};

describe('saved queue views', () => {
  it('keeps the queue filters in one order, without empty ones, and the name trimmed', () => {
    expect(checkSavedView({ name: '  Việc của tôi   quá hạn ', query: '?sla=overdue&q=&assigneeId=me&status=' })).toEqual({
      name: 'Việc của tôi quá hạn',
      query: 'assigneeId=me&sla=overdue',
    });
    expect(checkSavedView({ name: 'Đồng hồ', query: 'q=%C4%91%E1%BB%93ng+h%E1%BB%93&channel=email' }).query).toBe('channel=email&q=%C4%91%E1%BB%93ng+h%E1%BB%93');
  });

  it('names what is wrong: no name, a long one, no filter, an unknown or repeated key, a long value', () => {
    expect(fieldsOf({ name: ' ', query: 'sla=overdue' })).toEqual(['name:required']);
    expect(fieldsOf({ name: 'x'.repeat(61), query: 'sla=overdue' })).toEqual(['name:too_long']);
    expect(fieldsOf({ name: 'Tất cả', query: 'q=' })).toEqual(['query:required']);
    expect(fieldsOf({ name: 'Lạ', query: 'limit=500' })).toEqual(['query:invalid_value']);
    expect(fieldsOf({ name: 'Hai lần', query: 'channel=email&channel=web' })).toEqual(['query:invalid_value']);
    expect(fieldsOf({ name: 'Dài', query: `q=${'a'.repeat(201)}` })).toEqual(['query:invalid_value']);
  });
});
