/**
 * Who may give whom which role (issue 10 item 2; README "Staff accounts"):
 *
 * - Nobody grants a capability they do not hold themselves: a new user's
 *   role, a changed role, a role's added capabilities (`PATCH /v1/roles`,
 *   `POST /v1/roles`), for staff and API tokens alike.
 * - Nobody changes or disables a user whose role holds a capability they do
 *   not hold (a manager cannot demote or lock out anyone above them); in
 *   particular only holders of `roles.manage` change an owner's role or
 *   disable an owner.
 * - The last active owner is never demoted or disabled: the route counts
 *   the other active owners under a row lock (staff-users.routes.ts) and
 *   passes the count here.
 *
 * Pure: the caller reads the roles and counts; this decides.
 */

/** A role as these rules see it: its key (`owner`, …, null for custom roles) and capabilities. */
export type RoleGrant = { key: string | null; capabilities: readonly string[] };

export type GrantRefusal = { code: 'capability_not_held' | 'last_owner'; message: string };

/** Capabilities of `granted` that `actor` does not hold, sorted. */
export function capabilitiesNotHeld(actor: ReadonlySet<string>, granted: readonly string[]): string[] {
  return [...new Set(granted.filter((c) => !actor.has(c)))].sort();
}

function notHeld(missing: string[], what: string): GrantRefusal | null {
  if (missing.length === 0) return null;
  return { code: 'capability_not_held', message: `You cannot ${what}: it holds ${missing.join(', ')}, which you do not hold.` };
}

/** Creating a user with `role`, or a custom role with these capabilities. */
export function grantRefusal(actor: ReadonlySet<string>, role: RoleGrant, what = 'give this role'): GrantRefusal | null {
  return notHeld(capabilitiesNotHeld(actor, role.capabilities), what);
}

/** Changing a role's capabilities from `before` to `after`: only the added ones are a grant. */
export function roleEditRefusal(actor: ReadonlySet<string>, before: readonly string[], after: readonly string[]): GrantRefusal | null {
  const added = after.filter((c) => !before.includes(c));
  return notHeld(capabilitiesNotHeld(actor, added), 'add these capabilities to a role');
}

export type StaffChange = {
  /** The target user's current role, and whether they are active (not disabled). */
  current: RoleGrant;
  active: boolean;
  /** The new role, or null when the role stays. */
  nextRole: RoleGrant | null;
  /** The new disabled flag, or null when it stays. */
  disable: boolean | null;
  /** Active owners other than the target, counted under the owners lock (only needed when `demotesOwner`). */
  otherActiveOwners: number;
};

/** Whether `change` takes an active owner out of the owners (new role, or disabled). */
export function demotesOwner(change: Omit<StaffChange, 'otherActiveOwners'>): boolean {
  if (change.current.key !== 'owner' || !change.active) return false;
  return (change.nextRole !== null && change.nextRole.key !== 'owner') || change.disable === true;
}

/** Why `actor` may not make `change`, or null when they may. */
export function staffChangeRefusal(actor: ReadonlySet<string>, change: StaffChange): GrantRefusal | null {
  const touchesTarget = change.nextRole !== null || change.disable !== null;
  if (!touchesTarget) return null;
  if (change.current.key === 'owner' && !actor.has('roles.manage')) {
    return { code: 'capability_not_held', message: "Only holders of roles.manage change an owner's role or disable an owner." };
  }
  const above = notHeld(capabilitiesNotHeld(actor, change.current.capabilities), "change this user's role or access");
  if (above) return above;
  if (change.nextRole) {
    const grant = grantRefusal(actor, change.nextRole);
    if (grant) return grant;
  }
  if (demotesOwner(change) && change.otherActiveOwners === 0) {
    return { code: 'last_owner', message: 'This is the last active owner: make someone else an owner first.' };
  }
  return null;
}
