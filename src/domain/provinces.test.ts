import { describe, expect, it } from 'vitest';
import { normalizeProvince, PROVINCES } from './provinces';

describe('provinces', () => {
  it('lists the 34 provincial units since 1/7/2025, each once', () => {
    expect(PROVINCES).toHaveLength(34);
    expect(new Set(PROVINCES).size).toBe(34);
  });

  it('reads a province as people write it, with or without diacritics, prefix or spaces', () => {
    expect(normalizeProvince('Hà Nội')).toBe('Hà Nội');
    expect(normalizeProvince('  ha noi ')).toBe('Hà Nội');
    expect(normalizeProvince('Thành phố Hà Nội')).toBe('Hà Nội');
    expect(normalizeProvince('hanoi')).toBe('Hà Nội');
    expect(normalizeProvince('TP.HCM')).toBe('Thành phố Hồ Chí Minh');
    expect(normalizeProvince('tp. hồ chí minh')).toBe('Thành phố Hồ Chí Minh');
    expect(normalizeProvince('Sài Gòn')).toBe('Thành phố Hồ Chí Minh');
    expect(normalizeProvince('Tỉnh Đắk Lắk')).toBe('Đắk Lắk');
    expect(normalizeProvince('DAK LAK')).toBe('Đắk Lắk');
    // Renamed, same territory: the old name is still what many people write.
    expect(normalizeProvince('Thừa Thiên Huế')).toBe('Huế');
    expect(normalizeProvince('Tỉnh Thừa Thiên - Huế')).toBe('Huế');
    expect(normalizeProvince('TT. Huế')).toBe('Huế');
    for (const p of PROVINCES) expect(normalizeProvince(p)).toBe(p);
  });

  it('does not guess: a province merged away on 1/7/2025 or a place that is no province is none', () => {
    expect(normalizeProvince('Bình Dương')).toBeNull();
    expect(normalizeProvince('Quận 1')).toBeNull();
    expect(normalizeProvince('')).toBeNull();
  });
});
