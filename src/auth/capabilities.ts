/**
 * Capabilities and the default roles (spec: the Permissions sections of
 * every file in shared/spec: messages.view/send/send_gated/approve,
 * messages.tier.manage, settings.communication.manage,
 * customers.consent.manage; plus what the specs imply for calls, AI
 * analytics, contact details, roles, staff and the audit log; issue 12:
 * customers.manage to create and edit customers, customers.export for
 * Subject Access Request exports).
 */
export const CAPABILITIES = [
  'messages.view',
  'messages.send',
  'messages.send_gated',
  'messages.approve',
  'messages.tier.manage',
  'settings.communication.manage',
  'customers.consent.manage',
  'customers.contact.view',
  'customers.manage',
  'customers.export',
  'calls.view',
  'calls.manage',
  'ai.analytics.view',
  'staff.manage',
  'roles.manage',
  'audit.view',
] as const;

export type Capability = (typeof CAPABILITIES)[number];

export type DefaultRoleKey = 'owner' | 'manager' | 'service_advisor' | 'technician';

/**
 * The default roles. Technicians see conversations but never customer
 * contact details, reply only through the approval queue, and cannot change
 * consent (whatsapp-consent.txt, portal-messaging-fallback.txt).
 */
export const DEFAULT_ROLES: Record<DefaultRoleKey, { name: string; capabilities: readonly Capability[] }> = {
  owner: { name: 'Owner', capabilities: CAPABILITIES },
  manager: { name: 'Manager', capabilities: CAPABILITIES.filter((c) => c !== 'roles.manage') },
  service_advisor: {
    name: 'Service advisor',
    capabilities: ['messages.view', 'messages.send', 'customers.consent.manage', 'customers.contact.view', 'customers.manage', 'calls.view', 'calls.manage'],
  },
  technician: { name: 'Technician', capabilities: ['messages.view', 'messages.send_gated', 'calls.view'] },
};

export function isCapability(value: string): value is Capability {
  return (CAPABILITIES as readonly string[]).includes(value);
}
