// Micro-benchmark for `npm run bench`: mixed addWorkingHours / addWorkingDays on the default calendar.
import { addWorkingDays, addWorkingHours, defaultCalendar } from './working-time';

/** Runs n deadline computations over 2025–2027 start times and returns the measured operations per second. */
export function benchCalendar(n = 1_000_000): number {
  const cal = defaultCalendar();
  // Fixed pseudo-random starts so runs are comparable; indexes are warmed before timing.
  const base = Date.UTC(2025, 0, 1);
  const starts: Date[] = [];
  for (let i = 0; i < 1024; i += 1) starts.push(new Date(base + ((i * 2_654_435_761) % (3 * 365 * 86_400_000))));
  for (const s of starts) {
    addWorkingHours(s, 48, cal);
    addWorkingDays(s, 20, cal);
  }
  let sink = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i += 1) {
    const s = starts[i & 1023];
    const d = (i & 1) === 0 ? addWorkingHours(s, 1 + (i % 97), cal) : addWorkingDays(s, 1 + (i % 29), cal);
    sink += d.getTime() & 1;
  }
  const seconds = (performance.now() - t0) / 1000;
  // Using the results keeps the engine from discarding the loop.
  if (sink < 0) throw new Error('unreachable');
  return Math.round(n / seconds);
}
