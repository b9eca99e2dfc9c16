import { test } from 'node:test';
import assert from 'node:assert/strict';
import { templateStatusFromMeta } from '../../src/domain/template-status.js';

test("every Meta template event maps to whether the template can be sent", () => {
  const expected: Record<string, string | null> = {
    APPROVED: 'approved', REINSTATED: 'approved', UNARCHIVED: 'approved',
    PENDING: 'pending', IN_APPEAL: 'pending',
    REJECTED: 'rejected', DISABLED: 'rejected', DELETED: 'rejected', PENDING_DELETION: 'rejected', ARCHIVED: 'rejected', LOCKED: 'rejected',
    PAUSED: 'paused', LIMIT_EXCEEDED: 'paused',
    FLAGGED: null, SOMETHING_NEW: null,
  };
  for (const [event, status] of Object.entries(expected)) assert.equal(templateStatusFromMeta(event), status, event);
});
