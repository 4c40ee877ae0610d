// Profiles the app's main thread during the SMTP ingest benchmark: `npx tsx bench/profile-smtp.ts`.
// Prints the functions with the most self time and writes smtp.cpuprofile.
import { benchSmtpIngest } from './smtp';
import { profileMainThread } from './profile';
import { withThrowawayDatabase } from './throwaway-db';

await withThrowawayDatabase('sen_prof_smtp', async (database) => {
  const { result: r } = await profileMainThread('smtp.cpuprofile', () => benchSmtpIngest(database, { seconds: Number(process.env.SECONDS ?? 10) }));
  console.log(
    `\n${r.ok} mails in ${r.seconds.toFixed(1)} s = ${r.perSec.toFixed(1)}/s, p50 ${r.p50.toFixed(1)} ms; process CPU ${r.cpuMs.toFixed(2)} ms per mail ` +
      `(includes the SMTP worker, and the profiler); machine ${r.machineMs.toFixed(2)} ms busy per mail`,
  );
});
