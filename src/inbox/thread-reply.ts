/**
 * What a reply in any of the organisation's threads may use, read in one
 * statement: the organisation's name (the sender name of automated
 * messages), which providers it has configured (channel identities), and
 * its approved WhatsApp templates. Read per request, never cached: several
 * server instances share the database, and templates and channels change.
 */
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { TenantTx } from '../db/tenant.js';
import type { ReplyReach } from '../domain/reply-channel.js';

/** An approved template as the reply options list it. */
export type ReplyTemplate = { name: string; language: string; category: string; body: string; placeholders: string[] };

/** The organisation-wide half of a thread's reply options. */
export type OrgReplyContext = {
  /** The organisation's name. */
  orgName: string;
  /** Whether an SMS sender (Twilio), a WhatsApp number and an email sender (SMTP) are configured. */
  configured: ReplyReach['configured'];
  /** Approved templates, by name. */
  templates: ReplyTemplate[];
};

/**
 * The organisation's name, configured providers and approved templates:
 * one SELECT on `organisations` with EXISTS probes on `channel_identities`
 * and the templates as a JSON array.
 * @throws NoResultError when the organisation is not visible (the tenant is
 *   always entered for an existing organisation, so this is a bug)
 */
export async function loadOrgReplyContext(trx: TenantTx, orgId: string): Promise<OrgReplyContext> {
  const row = await trx.selectFrom('organisations as o')
    .select((eb) => {
      const configured = (provider: 'twilio' | 'whatsapp' | 'smtp') => eb.exists(eb.selectFrom('channel_identities as ci')
        .select('ci.id').whereRef('ci.org_id', '=', 'o.id').where('ci.provider', '=', provider));
      const approvedTemplates = eb.selectFrom('message_templates as t')
        .select(['t.name', 't.language', 't.category', 't.body', 't.placeholders'])
        .whereRef('t.org_id', '=', 'o.id').where('t.status', '=', 'approved')
        .orderBy('t.name');
      return [
        'o.name',
        configured('twilio').as('sms'),
        configured('whatsapp').as('whatsapp'),
        configured('smtp').as('email'),
        jsonArrayFrom(approvedTemplates).as('templates'),
      ];
    })
    .where('o.id', '=', orgId)
    .executeTakeFirstOrThrow();
  return {
    orgName: row.name,
    configured: { sms: Boolean(row.sms), whatsapp: Boolean(row.whatsapp), email: Boolean(row.email) },
    templates: row.templates.map((t) => ({ name: t.name, language: t.language, category: t.category, body: t.body, placeholders: t.placeholders })),
  };
}
