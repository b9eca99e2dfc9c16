/**
 * Who writes to the demo garage during a replayed day: the 60 demo
 * customers and 40 numbers no customer owns (07700 900700–900739, Ofcom's
 * drama range, unused by the roster), and how the inbox should file each
 * of them (from the roster's work orders).
 */
import { DEMO_CUSTOMER_COUNT, demoCustomer } from '../../seed/demo-data.js';

/** How many unknown numbers write in, and the first of them. */
export const UNKNOWN_SENDER_COUNT = 40;
const UNKNOWN_SENDER_FIRST = 700;

/** Work-order statuses that no longer count as active. */
const INACTIVE = new Set(['completed', 'cancelled']);

/**
 * How a sender's conversation must be filed:
 * `unknown` (no customer, badge Unknown), `linked` to the one active work
 * order, `pick` (several active: staff must pick), or `none` active (badge
 * General or Booking).
 */
export type ExpectedFiling =
  | { kind: 'unknown' }
  | { kind: 'linked'; workOrderNumber: string }
  | { kind: 'pick' }
  | { kind: 'none' };

export type Sender = {
  /** E.164. */
  phone: string;
  /** WhatsApp id: the number as digits without `+`. */
  waId: string;
  /** Index in the demo roster, or null for an unknown number. */
  customerIndex: number | null;
  /** Roster name of a customer, null for unknown numbers. */
  customerName: string | null;
  /** The WhatsApp profile name the sender uses (stable across runs). */
  profileName: string;
  filing: ExpectedFiling;
};

const PROFILE_NAMES = [
  'Dave 🚗', 'Zoë Ó Briain', 'Łukasz Nowak', 'Amélie', 'Big Mike', 'Priya', 'Siân', 'Mr T. Okafor', 'Jürgen', 'Kez',
  'Chloé', 'Tom (work)', 'Nan ❤️', 'Ravi S', 'Bethan', 'Mo', 'Ciarán', 'Gosia', 'Lee / Fleet', 'Anna-Marie',
];

function filingFor(i: number): ExpectedFiling {
  const active = demoCustomer(i).workOrders.filter((w) => !INACTIVE.has(w.status));
  if (active.length === 0) return { kind: 'none' };
  if (active.length === 1) return { kind: 'linked', workOrderNumber: active[0]!.number };
  return { kind: 'pick' };
}

/** The replay's senders: demo customers first (roster order), then unknown numbers. */
export function replaySenders(): Sender[] {
  const senders: Sender[] = [];
  for (let i = 0; i < DEMO_CUSTOMER_COUNT; i++) {
    const c = demoCustomer(i);
    const first = c.name.split(' ')[0]!;
    senders.push({
      phone: c.phone,
      waId: c.phone.slice(1),
      customerIndex: i,
      customerName: c.name,
      profileName: i % 3 === 0 ? c.name : i % 3 === 1 ? first : `${first} ${c.name.split(' ')[1]![0]}.`,
      filing: filingFor(i),
    });
  }
  for (let k = 0; k < UNKNOWN_SENDER_COUNT; k++) {
    const phone = `+447700900${UNKNOWN_SENDER_FIRST + k}`;
    senders.push({
      phone,
      waId: phone.slice(1),
      customerIndex: null,
      customerName: null,
      profileName: PROFILE_NAMES[k % PROFILE_NAMES.length]!,
      filing: { kind: 'unknown' },
    });
  }
  return senders;
}
