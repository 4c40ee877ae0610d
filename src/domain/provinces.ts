import { foldText } from './search-text';

/**
 * Tỉnh, thành phố — the 34 provincial units since 1/7/2025 (Resolution 202/2025/QH15), named as in the
 * default directory of authorities. Step 4 of the policy: without agreement, the complaint goes to the
 * Sở Công Thương of the customer's province.
 */
export const PROVINCES = [
  'Hà Nội',
  'Hải Phòng',
  'Huế',
  'Đà Nẵng',
  'Cần Thơ',
  'Thành phố Hồ Chí Minh',
  'Tuyên Quang',
  'Cao Bằng',
  'Lai Châu',
  'Lào Cai',
  'Thái Nguyên',
  'Điện Biên',
  'Lạng Sơn',
  'Sơn La',
  'Phú Thọ',
  'Bắc Ninh',
  'Quảng Ninh',
  'Hưng Yên',
  'Ninh Bình',
  'Thanh Hóa',
  'Nghệ An',
  'Hà Tĩnh',
  'Quảng Trị',
  'Quảng Ngãi',
  'Gia Lai',
  'Khánh Hòa',
  'Lâm Đồng',
  'Đắk Lắk',
  'Đồng Nai',
  'Tây Ninh',
  'Vĩnh Long',
  'Đồng Tháp',
  'Cà Mau',
  'An Giang',
] as const;
export type Province = (typeof PROVINCES)[number];

/** Folded, without "tỉnh"/"thành phố"/"TP." in front and without punctuation: "TP. Hồ Chí Minh" → "ho chi minh". */
function provinceKey(s: string): string {
  return foldText(s)
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^(tinh|thanh pho|tp) /, '');
}

const BY_KEY = new Map<string, Province>();
for (const p of PROVINCES) {
  BY_KEY.set(provinceKey(p), p);
  BY_KEY.set(provinceKey(p).replaceAll(' ', ''), p); // "hanoi", "danang"
}
// What people commonly write for Thành phố Hồ Chí Minh.
for (const alias of ['hcm', 'tphcm', 'sai gon', 'saigon', 'ho chi minh city']) BY_KEY.set(alias, 'Thành phố Hồ Chí Minh');
// Thừa Thiên Huế became Huế city on 1/1/2025 (Resolution 1314/NQ-UBTVQH15) with the same territory: a rename, not a merger.
for (const alias of ['thua thien hue', 'thuathienhue', 'tt hue']) BY_KEY.set(alias, 'Huế');

/**
 * The province a customer or an agent wrote, as Sen names it ("ha noi", "TP.HCM", "Thành phố Hà Nội"
 * → "Hà Nội"); null when it is none of the 34.
 */
export function normalizeProvince(input: string): Province | null {
  return BY_KEY.get(provinceKey(input)) ?? null;
}
