/**
 * Meta's template review events (`message_template_status_update` webhook,
 * provider-protocols.md §7d) mapped to our template statuses.
 * FLAGGED is a quality warning on a template that can still be sent, so it
 * changes nothing; REINSTATED returns a paused template to approved.
 */
import type { TemplateStatus } from '../db/schema.js';

/** @returns null for events that do not change whether the template can be sent */
export function templateStatusFromMeta(event: string): TemplateStatus | null {
  switch (event) {
    case 'APPROVED':
    case 'REINSTATED':
    case 'UNARCHIVED':
      return 'approved';
    case 'PENDING':
    case 'IN_APPEAL':
      return 'pending';
    case 'REJECTED':
    case 'DISABLED':
    case 'DELETED':
    case 'PENDING_DELETION':
    case 'ARCHIVED':
    case 'LOCKED':
      return 'rejected';
    case 'PAUSED':
    case 'LIMIT_EXCEEDED':
      return 'paused';
    default:
      return null;
  }
}
