#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx sen …` works without a build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/index.ts');
process.exit(await runCli(process.argv.slice(2)));
