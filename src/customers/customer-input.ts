/**
 * What a customer is made of when staff, the integration API or an import
 * create or edit one: name, phone (any format in, E.164 out via
 * libphonenumber-js, GB by default), e-mail, vehicles. One zod schema so
 * every path validates the same way; a bad field is a 400 naming the field.
 */
import { z } from 'zod';
import { toE164 } from '../domain/phone.js';

/** A phone number in any format, normalised to E.164; empty → null. */
export const phoneField = z.string().trim().max(40).nullish().transform((v, ctx) => {
  if (!v) return null;
  const e164 = toE164(v);
  if (!e164) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not a phone number (type it with its country code, or a UK number as 07…)` });
    return z.NEVER;
  }
  return e164;
});

export const emailField = z.string().trim().max(254).nullish().transform((v, ctx) => {
  if (!v) return null;
  if (!z.email().safeParse(v).success) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not an e-mail address` });
    return z.NEVER;
  }
  return v.toLowerCase();
});

/** A UK registration as typed ("ab12 cde") → upper case, single spaces. */
export const registrationField = z.string().trim().min(1).max(16).transform((v) => v.toUpperCase().replace(/\s+/g, ' '));

export const vehicleInput = z.object({
  registration: registrationField,
  make: z.string().trim().max(60).nullish().transform((v) => v || null),
  model: z.string().trim().max(60).nullish().transform((v) => v || null),
});

export const customerInput = z.object({
  name: z.string().trim().min(1, 'a name is required').max(120),
  phone: phoneField,
  email: emailField,
  vehicles: z.array(vehicleInput).max(20).default([]),
});

export type CustomerInput = z.output<typeof customerInput>;
export type VehicleInput = z.output<typeof vehicleInput>;
