import { describe, expect, it } from 'vitest';
import { AppError } from './errors';
import { checkRoutingRule, firstFittingRule, keywordIn, raisedPriority, type RoutingRule } from './routing';

const TEAM = '00000000-0000-4000-8000-000000000001';
const rule = (over: Partial<RoutingRule>): RoutingRule => ({
  id: `r${over.position ?? 1}`,
  position: 1,
  name: 'Quy tắc',
  active: true,
  channels: [],
  categoryId: null,
  keywords: [],
  vulnerableOnly: false,
  teamId: TEAM,
  assigneeId: null,
  priority: null,
  ...over,
});
const complaint = { channel: 'web', categoryId: null, subject: 'Máy lạnh hết bảo hành', description: 'Máy kêu to, chảy nước.', product: 'Điều hòa Daikin', vulnerable: false };

describe('routing rules: which rule a new complaint gets', () => {
  it('tries the rules in their order and applies the first that fits every condition it has', () => {
    const rules = [
      rule({ position: 3, name: 'Mặc định' }),
      rule({ position: 1, name: 'Hotline', channels: ['hotline'] }),
      rule({ position: 2, name: 'Bảo hành', keywords: ['bao hanh', 'doi tra'] }),
    ];
    expect(firstFittingRule(rules, complaint)?.name).toBe('Bảo hành');
    expect(firstFittingRule(rules, { ...complaint, channel: 'hotline' })?.name).toBe('Hotline');
    expect(firstFittingRule(rules, { ...complaint, subject: 'Giao chậm', description: '' , product: null })?.name).toBe('Mặc định');
    // Inactive rules are never applied; none fitting leaves the complaint in the shared queue.
    expect(firstFittingRule([rule({ active: false })], complaint)).toBeNull();
    expect(firstFittingRule([rule({ categoryId: 'c1' })], complaint)).toBeNull();
    expect(firstFittingRule([rule({ categoryId: 'c1' })], { ...complaint, categoryId: 'c1' })?.name).toBe('Quy tắc');
    expect(firstFittingRule([rule({ vulnerableOnly: true })], complaint)).toBeNull();
    expect(firstFittingRule([rule({ vulnerableOnly: true })], { ...complaint, vulnerable: true })).not.toBeNull();
    // Keywords are looked for in the product too, without diacritics.
    expect(firstFittingRule([rule({ keywords: ['daikin'] })], complaint)).not.toBeNull();
  });

  it('finds a keyword at the start of a word, ignoring diacritics and case, not inside another word', () => {
    expect(keywordIn('may lanh het bao hanh', 'bao hanh')).toBe(true);
    expect(keywordIn('may lanh het bao hanh', 'hanh')).toBe(true);
    expect(keywordIn('dong ho', 'ong')).toBe(false);
    expect(keywordIn('(hoan tien) ngay', 'hoan tien')).toBe(true);
    expect(keywordIn('don dh-123', 'dh-1')).toBe(true);
  });

  it('raises the priority to the rule’s, never lowers it', () => {
    expect(raisedPriority('normal', 'high')).toBe('high');
    expect(raisedPriority('urgent', 'high')).toBe('urgent');
    expect(raisedPriority('low', null)).toBe('low');
  });

  it('checks a rule as written, every field problem at once, and folds its keywords', () => {
    expect(checkRoutingRule({ name: '  Bảo   hành ', teamId: TEAM, keywords: ['Bảo Hành', ' ĐỔI TRẢ '], channels: ['web', 'email'] }, true)).toEqual({
      name: 'Bảo hành',
      teamId: TEAM,
      keywords: ['bao hanh', 'doi tra'],
      channels: ['web', 'email'],
      priority: null,
      categoryId: null,
      assigneeId: null,
      vulnerableOnly: false,
      active: true,
    });
    const fields = (input: Parameters<typeof checkRoutingRule>[0], whole = true) => {
      try {
        checkRoutingRule(input, whole);
        return [];
      } catch (err) {
        return (err as AppError).details.fields;
      }
    };
    expect(fields({ name: ' ', channels: ['fax', 'web', 'web'], keywords: ['a', 'bảo hành', 'Bao hanh', 'x'.repeat(61)], priority: 'asap' })).toEqual([
      { field: 'name', code: 'required' },
      { field: 'channels[0]', code: 'invalid_value' },
      { field: 'channels[2]', code: 'duplicate' },
      { field: 'keywords[0]', code: 'too_short' },
      { field: 'keywords[2]', code: 'duplicate' },
      { field: 'keywords[3]', code: 'too_long' },
      { field: 'teamId', code: 'required' },
      { field: 'priority', code: 'invalid_value' },
    ]);
    expect(fields({ keywords: Array.from({ length: 21 }, (_, i) => `tu ${i}`) }, false)).toEqual([{ field: 'keywords', code: 'too_many' }]);
    // A change names only what changes.
    expect(checkRoutingRule({ active: false }, false)).toEqual({ active: false });
  });
});
