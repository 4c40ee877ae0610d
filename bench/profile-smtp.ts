// Profiles the app's main thread during the SMTP ingest benchmark: `npx tsx bench/profile-smtp.ts`.
// Prints the functions with the most self time and writes smtp.cpuprofile.
import { readFileSync } from 'node:fs';
import { benchSmtpIngest } from './smtp';
import { profileMainThread } from './profile';
import { withThrowawayDatabase } from './throwaway-db';

// Busy CPU time of the whole machine (all processes: app, SMTP worker, PostgreSQL), in ms.
const machineBusy = () => {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return (f.reduce((a, b) => a + b, 0) - f[3] - f[4]) * 10;
};
await withThrowawayDatabase('sen_prof_smtp', async (database) => {
  const busy0 = machineBusy();
  const { result: r, cpuMs } = await profileMainThread('smtp.cpuprofile', () => benchSmtpIngest(database, { seconds: Number(process.env.SECONDS ?? 10) }));
  console.log(
    `\n${r.ok} mails in ${r.seconds.toFixed(1)} s = ${r.perSec.toFixed(1)}/s, p50 ${r.p50.toFixed(1)} ms; process CPU ${(cpuMs / r.ok).toFixed(2)} ms per mail ` +
      `(includes the SMTP worker); machine ${((machineBusy() - busy0) / r.ok).toFixed(2)} ms busy per mail`,
  );
});
