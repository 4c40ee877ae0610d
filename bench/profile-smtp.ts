// Profiles the app's main thread during the SMTP ingest benchmark: `npx tsx bench/profile-smtp.ts`.
// Prints the functions with the most self time and writes smtp.cpuprofile.
import { benchSmtpIngest } from './smtp';
import { machineBusyMs as machineBusy, profileMainThread } from './profile';
import { withThrowawayDatabase } from './throwaway-db';

await withThrowawayDatabase('sen_prof_smtp', async (database) => {
  const busy0 = machineBusy();
  const { result: r, cpuMs } = await profileMainThread('smtp.cpuprofile', () => benchSmtpIngest(database, { seconds: Number(process.env.SECONDS ?? 10) }));
  console.log(
    `\n${r.ok} mails in ${r.seconds.toFixed(1)} s = ${r.perSec.toFixed(1)}/s, p50 ${r.p50.toFixed(1)} ms; process CPU ${(cpuMs / r.ok).toFixed(2)} ms per mail ` +
      `(includes the SMTP worker); machine ${((machineBusy() - busy0) / r.ok).toFixed(2)} ms busy per mail`,
  );
});
