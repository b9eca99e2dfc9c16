/** Prints what the demo seed created and how to use it. */
import type { Config } from '../config.js';
import type { DemoSeed } from './demo.js';
import { DEMO_NUMBER, DEMO_STAFF_PASSWORD, DEMO_WHATSAPP_PHONE_NUMBER_ID } from './demo-data.js';

export function printDemoBanner(demo: DemoSeed, config: Config): void {
  const base = config.PUBLIC_BASE_URL;
  const lines = [
    '',
    `Demo garage "${demo.orgName}" created:`,
    `  ${demo.customers} customers, ${demo.workOrders} work orders, ${demo.conversations} conversations, ${demo.messages} messages`,
    `  SMS number ${DEMO_NUMBER} (Twilio auth token: DEMO_TWILIO_AUTH_TOKEN), WhatsApp phone_number_id ${DEMO_WHATSAPP_PHONE_NUMBER_ID}`,
    '',
    `Staff sign-in at ${base}/login (password "${DEMO_STAFF_PASSWORD}"):`,
    ...demo.staff.map((u) => `  ${u.email.padEnd(30)} ${u.role}`),
    '',
    `API token (also saved to ${demo.tokenFile}):`,
    `  ${demo.apiToken}`,
    '',
    'Try it:',
    `  curl -H "Authorization: Bearer ${demo.apiToken}" ${base}/v1/conversations`,
    `  npm run replay            # replay a garage day of signed Twilio and WhatsApp webhooks`,
    `  ${base}/openapi.json      # the API description`,
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
