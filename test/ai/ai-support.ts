/**
 * Helpers for AI receptionist tests: an organisation with AI on, the reply
 * job run directly against a fake OpenAI-compatible server, and reads of
 * what the job left behind.
 */
import type { TestServer } from '../support/server.js';
import type { TestOrg } from '../support/fixtures.js';
import type { Config } from '../../src/config.js';
import { openAiCompatibleDriver } from '../../src/ai/openai-compatible.js';
import { runAiReply } from '../../src/ai/reply.job.js';
import type { FakeOpenAi } from '../support/fake-providers/openai.js';

export async function enableAi(server: TestServer, org: TestOrg, on = true): Promise<void> {
  await server.db.updateTable('organisations').set({ ai_enabled: on, opening_hours: 'Mon–Fri 8–17:30', ai_instructions: "We're closed Sundays." }).where('id', '=', org.id).execute();
}

/** Run the reply job for a conversation now (past the debounce), as the worker would. */
export function runReply(server: TestServer, model: FakeOpenAi, orgId: string, conversationId: string, opts: { config?: Partial<Config>; lastAttempt?: boolean; aheadMs?: number } = {}) {
  const config = { ...server.config, ...opts.config };
  const driver = openAiCompatibleDriver({ baseUrl: `${model.baseUrl}/v1`, model: 'fake', apiKey: 'k', timeoutMs: 15_000, maxRetries: 0 });
  return runAiReply({ db: server.db, queue: server.queue, config, driver }, { orgId, conversationId }, opts.lastAttempt ?? false, () => new Date(Date.now() + (opts.aheadMs ?? 5_000)));
}

export async function aiMessages(server: TestServer, conversationId: string) {
  return server.db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId).where('ai_generated', '=', true).where('direction', '=', 'outbound').orderBy('created_at').execute();
}

export async function ledger(server: TestServer, orgId: string) {
  return server.db.selectFrom('ai_credit_ledger').selectAll().where('org_id', '=', orgId).orderBy('created_at').execute();
}

export const json = (o: unknown) => JSON.stringify(o);
