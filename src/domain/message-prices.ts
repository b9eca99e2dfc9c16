/**
 * What a message costs when the provider does not say (the sandbox; Meta,
 * whose status callbacks give the pricing category but no amount): a price
 * table in one currency, per SMS segment and per WhatsApp pricing category.
 * Amounts are exact decimal strings in major units.
 *
 * Default table (GBP, 2025 list prices, rounded): Twilio UK SMS about
 * £0.0400 per segment; Meta's UK rates per delivered template message —
 * marketing £0.0529, utility £0.0220, authentication £0.0358 — and free
 * service (in-window, free-form) messages. Portal and email cost nothing.
 * Override with the MESSAGE_PRICES setting (JSON of the same shape).
 */
import { z } from 'zod';
import { smsSegments } from './sms-segments.js';

const amount = z.string().regex(/^\d+(\.\d{1,6})?$/, 'a decimal amount such as "0.0400"');

export const priceTableSchema = z.object({
  currency: z.string().regex(/^[A-Z]{3}$/),
  smsPerSegment: amount,
  whatsapp: z.object({ marketing: amount, utility: amount, authentication: amount, service: amount }),
});

export type PriceTable = z.infer<typeof priceTableSchema>;
export type WhatsAppPricingCategory = keyof PriceTable['whatsapp'];

export const DEFAULT_PRICE_TABLE: PriceTable = Object.freeze({
  currency: 'GBP',
  smsPerSegment: '0.0400',
  whatsapp: Object.freeze({ marketing: '0.0529', utility: '0.0220', authentication: '0.0358', service: '0.0000' }),
}) as PriceTable;

/** Exact decimal product `amount × n` with 6 decimal places (no floating point). */
function times(value: string, n: number): string {
  const [whole, frac = ''] = value.split('.');
  const micros = BigInt(whole!) * 1_000_000n + BigInt(frac.padEnd(6, '0'));
  const total = micros * BigInt(n);
  return `${total / 1_000_000n}.${(total % 1_000_000n).toString().padStart(6, '0')}`;
}

/**
 * The table's price of one outbound message, or null when it has no price (portal, email).
 * @param input.whatsappCategory Meta's pricing category: a template's category (lower-cased), or `service` for free-form
 */
export function tablePrice(
  input: { channel: string; body: string; whatsappCategory?: WhatsAppPricingCategory },
  table: PriceTable,
): { amount: string; currency: string } | null {
  if (input.channel === 'sms') return { amount: times(table.smsPerSegment, smsSegments(input.body).segments), currency: table.currency };
  if (input.channel === 'whatsapp') return { amount: times(table.whatsapp[input.whatsappCategory ?? 'service'], 1), currency: table.currency };
  return null;
}

/** Meta's pricing category from a status callback's `pricing.category` (`marketing`, `utility`, `authentication`, `service`, …). */
export function whatsAppPricingCategory(value: unknown): WhatsAppPricingCategory | null {
  const v = typeof value === 'string' ? value.toLowerCase() : '';
  if (v === 'marketing' || v === 'utility' || v === 'authentication' || v === 'service') return v;
  if (v === 'authentication_international') return 'authentication';
  if (v === 'referral_conversion') return 'service';
  return null;
}

/**
 * The price of a WhatsApp message from Meta's status callback `pricing`
 * object (provider-protocols.md §7: `{billable, pricing_model, category,
 * type}`), which names the category but no amount: free (`0`) when Meta
 * says it is not billable or `type` is `free_customer_service` /
 * `free_entry_point`, else the table's price of the category.
 * @returns null when there is no pricing object or its category is unknown
 * @example whatsAppCallbackPrice({ billable: true, category: 'marketing', type: 'regular' }, DEFAULT_PRICE_TABLE) // { amount: '0.052900', currency: 'GBP' }
 */
export function whatsAppCallbackPrice(pricing: unknown, table: PriceTable): { amount: string; currency: string } | null {
  if (typeof pricing !== 'object' || pricing === null) return null;
  const p = pricing as { billable?: unknown; category?: unknown; type?: unknown };
  const category = whatsAppPricingCategory(p.category);
  if (!category) return null;
  const free = p.billable === false || p.type === 'free_customer_service' || p.type === 'free_entry_point';
  return { amount: times(free ? '0' : table.whatsapp[category], 1), currency: table.currency };
}
