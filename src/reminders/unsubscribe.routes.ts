/**
 * One-click unsubscribe from unread-message reminders (RFC 8058):
 * - `POST /reminders/unsubscribe/{token}` (what mail clients send for
 *   `List-Unsubscribe-Post: List-Unsubscribe=One-Click`, and the page's
 *   button): the customer gets no more reminders; recorded in the staff audit
 *   log (actor: the customer, no staff user) once;
 * - `GET` of the same URL only shows a page with the button, because link
 *   scanners follow GET links.
 *
 * The token is the reminder's random UUID. Finding which garage it belongs to
 * happens before the tenant is known, so that one lookup runs as the
 * connecting (owner) role; the change itself runs in the tenant transaction.
 */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { withTenant } from '../db/tenant.js';
import { esc, page } from '../pages/html.js';
import { registerFormBodyParser } from '../webhooks/form-body.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const UNKNOWN = page('Reminders', '<h1>This link is not valid</h1><div class="card"><p>Check that you opened the whole link from the email.</p></div>');

async function findReminder(db: Kysely<Database>, token: string) {
  if (!UUID.test(token)) return null;
  const row = await db.selectFrom('message_reminders as r').innerJoin('organisations as o', 'o.id', 'r.org_id')
    .select(['r.org_id', 'r.customer_id', 'o.name']).where('r.unsubscribe_token', '=', token).executeTakeFirst();
  return row?.customer_id ? { orgId: row.org_id, customerId: row.customer_id, orgName: row.name } : null;
}

export async function reminderUnsubscribeRoutes(app: FastifyInstance, { db }: { db: Kysely<Database> }): Promise<void> {
  registerFormBodyParser(app);

  app.get<{ Params: { token: string } }>('/reminders/unsubscribe/:token', { schema: { hide: true } }, async (request, reply) => {
    const found = await findReminder(db, request.params.token);
    reply.type('text/html').header('cache-control', 'no-store');
    if (!found) return reply.status(404).send(UNKNOWN);
    return page('Stop reminders', `<h1>Stop unread-message reminders</h1><div class="card">
<p>${esc(found.orgName)} emails you when a message about your vehicle has not been read. You can stop these emails.</p>
<form method="post"><button type="submit">Stop reminder emails</button></form></div>`);
  });

  app.post<{ Params: { token: string } }>('/reminders/unsubscribe/:token', { schema: { hide: true } }, async (request, reply) => {
    const found = await findReminder(db, request.params.token);
    reply.type('text/html').header('cache-control', 'no-store');
    if (!found) return reply.status(404).send(UNKNOWN);
    await withTenant(db, found.orgId, async (trx) => {
      const added = await trx.insertInto('reminder_opt_outs').values({ org_id: found.orgId, customer_id: found.customerId })
        .onConflict((oc) => oc.doNothing()).returning('customer_id').executeTakeFirst();
      if (!added) return;
      await trx.insertInto('staff_audit_log').values({
        org_id: found.orgId, actor_user_id: null, actor_token_id: null, action: 'reminders.unsubscribed', target_type: 'customer',
        target_id: found.customerId, before: JSON.stringify({ reminders: true }), after: JSON.stringify({ reminders: false }),
        reason: 'The customer used the one-click unsubscribe of a reminder email',
      }).execute();
    });
    return page('Reminders stopped', `<h1>Reminders stopped</h1><div class="card"><p class="notice">You will not get unread-message reminder emails from ${esc(found.orgName)} any more.</p></div>`);
  });
}
