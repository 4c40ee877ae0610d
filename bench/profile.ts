// Shared by the profiling scripts: samples this thread's CPU while `work` runs, writes the profile
// (open it in Chrome DevTools) and prints the self time by package and by function.
import { Session } from 'node:inspector/promises';
import { readFileSync, writeFileSync } from 'node:fs';

export async function profileMainThread<T>(file: string, work: () => Promise<T>): Promise<{ result: T; cpuMs: number }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  const cpu0 = process.cpuUsage();
  const result = await work();
  const cpu = process.cpuUsage(cpu0);
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  writeFileSync(file, JSON.stringify(profile));
  const self = new Map<string, number>();
  const byPkg = new Map<string, number>();
  const total = profile.samples!.length;
  const counts = new Map<number, number>();
  for (const id of profile.samples!) counts.set(id, (counts.get(id) ?? 0) + 1);
  for (const n of profile.nodes) {
    const c = counts.get(n.id) ?? 0;
    if (!c) continue;
    const f = n.callFrame;
    const url = f.url.replace(/^file:\/\//, '').replace(process.cwd(), '.');
    const key = `${f.functionName || '(anon)'} ${url}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + c);
    const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? (url.startsWith('./src') ? 'sen' : url || f.functionName);
    byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + c);
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${((v / total) * 100).toFixed(1).padStart(5)} %  ${k}`).join('\n');
  console.log('\nby package:\n' + top(byPkg, 25));
  console.log('\nby function (self):\n' + top(self, 40));
  return { result, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** Busy CPU time of the whole machine (every process and the kernel), in ms, from /proc/stat; steal excluded. */
export function machineBusyMs(): number {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return (f.reduce((a, b) => a + b, 0) - f[3] - f[4] - (f[7] ?? 0)) * 10;
}
