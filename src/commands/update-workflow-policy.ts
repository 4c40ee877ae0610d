import type { Database } from '../db/open';
import { WORKFLOW_KEY } from '../db/queries/settings';
import { parseWorkflowPolicy, type WorkflowPolicy } from '../domain/workflow';
import type { Actor } from './actor';
import { storeSetting } from './settings-store';

/** Sửa quy trình — saves the workflow policy (approval threshold, answer times, survey delay, auto-close, reopen window). */
export async function updateWorkflowPolicy(opts: { database: Database; actor: Actor; input: unknown }): Promise<{ policy: WorkflowPolicy }> {
  const policy = parseWorkflowPolicy(opts.input);
  await storeSetting(opts, WORKFLOW_KEY, policy);
  return { policy };
}
