// Types for the `amlich` dev dependency (Hồ Ngọc Đức's original JavaScript), used only as a test oracle.
declare module 'amlich' {
  /** Returns [lunarDay, lunarMonth, lunarYear, leap (0 | 1)]. */
  export function convertSolar2Lunar(dd: number, mm: number, yyyy: number, timeZone: number): [number, number, number, number];
  /** Returns [day, month, year], or [0, 0, 0] when the leap month does not exist. */
  export function convertLunar2Solar(
    lunarDay: number,
    lunarMonth: number,
    lunarYear: number,
    lunarLeap: number,
    timeZone: number,
  ): [number, number, number];
  export function jdFromDate(dd: number, mm: number, yyyy: number): number;
  export function jdToDate(jd: number): [number, number, number];
}
