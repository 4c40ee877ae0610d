// Per-year Prime Minister decisions (Labour Code 2019 Art. 112(3)): which five days of Tết, the day
// beside 2/9, compensatory days and the public sector's swapped days. Source of the dates:
// /work/shared/research-law-calendar.md §4 (announced schedules). Add a year here when its decision is
// published; a year without an entry is computed by rule and reported as provisional.

/** The statutory holidays of Labour Code 2019 Art. 112(1). */
export type HolidayKey = 'new-year' | 'tet' | 'hung-kings' | 'victory' | 'labour' | 'national-day';

/** A swapped day (hoán đổi): a weekday off for the public sector, worked back on a Saturday. */
export interface SwapDecision {
  /** The weekday given off. */
  readonly dayOff: string;
  /** The Saturday worked instead (ngày làm bù). */
  readonly workedOn: string;
}

/** One year's official schedule, as decided and published. */
export interface YearOverride {
  readonly year: number;
  /** The decision that fixed the schedule, for the admin UI and audits. */
  readonly source: string;
  /** Statutory holidays as placed by the decision (including those falling on a weekend). */
  readonly holidays: ReadonlyArray<{ readonly date: string; readonly key: HolidayKey }>;
  /** Art. 111(3) compensatory days, with the holiday date each one makes up for. */
  readonly compensatory: ReadonlyArray<{ readonly date: string; readonly for: string }>;
  readonly swaps: readonly SwapDecision[];
}

/** The schedules shipped with Sen. */
export const YEAR_OVERRIDES: Readonly<Record<number, YearOverride>> = {
  2025: {
    year: 2025,
    source: 'VPCP 8726/VPCP-KGVX (26/11/2024) and Bộ LĐ-TB&XH notice for 2025',
    holidays: [
      { date: '2025-01-01', key: 'new-year' },
      // The PM placed Tết on 28 Chạp → mùng 3 (27–31/1), not the default "last day + mùng 1–4".
      { date: '2025-01-27', key: 'tet' },
      { date: '2025-01-28', key: 'tet' },
      { date: '2025-01-29', key: 'tet' },
      { date: '2025-01-30', key: 'tet' },
      { date: '2025-01-31', key: 'tet' },
      { date: '2025-04-07', key: 'hung-kings' },
      { date: '2025-04-30', key: 'victory' },
      { date: '2025-05-01', key: 'labour' },
      { date: '2025-09-01', key: 'national-day' },
      { date: '2025-09-02', key: 'national-day' },
    ],
    compensatory: [],
    swaps: [{ dayOff: '2025-05-02', workedOn: '2025-04-26' }],
  },
  2026: {
    year: 2026,
    source: 'VPCP 12729/VPCP-KGVX (25/12/2025) and the PM decision on Tết Bính Ngọ and 2/9 (10/2025)',
    holidays: [
      { date: '2026-01-01', key: 'new-year' },
      { date: '2026-02-16', key: 'tet' },
      { date: '2026-02-17', key: 'tet' },
      { date: '2026-02-18', key: 'tet' },
      { date: '2026-02-19', key: 'tet' },
      { date: '2026-02-20', key: 'tet' },
      { date: '2026-04-26', key: 'hung-kings' },
      { date: '2026-04-30', key: 'victory' },
      { date: '2026-05-01', key: 'labour' },
      { date: '2026-09-01', key: 'national-day' },
      { date: '2026-09-02', key: 'national-day' },
    ],
    // Giỗ Tổ 26/4 is a Sunday.
    compensatory: [{ date: '2026-04-27', for: '2026-04-26' }],
    swaps: [
      { dayOff: '2026-01-02', workedOn: '2026-01-10' },
      { dayOff: '2026-08-31', workedOn: '2026-08-22' },
    ],
  },
};
