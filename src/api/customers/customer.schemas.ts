/** Response shapes of the customer routes (OpenAPI). Timestamps are ISO-8601 UTC. */
import { z } from 'zod';

const consentCategory = z.enum(['transactional', 'service_reminders', 'marketing', 'whatsapp']);

export const directorySchema = z.object({
  customers: z.array(z.object({
    id: z.uuid(), name: z.string(), phone: z.string().nullable(), email: z.string().nullable(), registrations: z.array(z.string()),
    conversationId: z.uuid().nullable(), lastActivityAt: z.string().nullable(), activeWorkOrders: z.number().int(),
  })),
  total: z.number().int(), page: z.number().int(), pageSize: z.number().int(),
});

export const consentCardSchema = z.array(z.object({
  category: consentCategory, granted: z.boolean(), source: z.string(), sourceLabel: z.string(), updatedAt: z.string().nullable(), performedBy: z.string().nullable(),
}));

export const customerProfileSchema = z.object({
  id: z.uuid(), name: z.string(), externalId: z.string().nullable(), phone: z.string().nullable(), email: z.string().nullable(),
  hasPhone: z.boolean(), hasEmail: z.boolean(), createdAt: z.string(), portalLastLoginAt: z.string().nullable(),
  vehicles: z.array(z.object({ id: z.uuid(), registration: z.string(), make: z.string().nullable(), model: z.string().nullable(), externalId: z.string().nullable() })),
  workOrders: z.array(z.object({ id: z.uuid(), number: z.string(), title: z.string(), status: z.string(), createdAt: z.string(), registration: z.string().nullable() })),
  conversation: z.object({ id: z.uuid(), lastChannel: z.string().nullable(), lastActivityAt: z.string() }).nullable(),
  consents: consentCardSchema,
});

export const historySchema = z.object({
  entries: z.array(z.object({
    id: z.string(), category: z.string(), action: z.enum(['granted', 'revoked']), previousValue: z.boolean().nullable(), source: z.string(), sourceLabel: z.string(),
    performedBy: z.string().nullable(), ipAddress: z.string().nullable(), userAgent: z.string().nullable(), at: z.string(),
  })),
  stateAt: z.array(z.object({ category: z.string(), granted: z.boolean().nullable(), source: z.string().nullable(), sourceLabel: z.string().nullable(), since: z.string().nullable() })).nullable(),
});
