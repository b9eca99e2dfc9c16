/**
 * The demo garage's roster, generated deterministically (same names, numbers
 * and work orders on every machine). Phone numbers are from Ofcom's range
 * reserved for drama (07700 900000–900999), so none reaches a real person.
 */

export const DEMO_ORG = { name: 'Acme Motors', slug: 'acme-motors' } as const;
/** What the demo garage's AI receptionist is told about its hours. */
export const DEMO_OPENING_HOURS = 'Monday to Friday 8:00–17:30, Saturday 8:30–12:30, closed Sundays';
/** The garage's SMS/WhatsApp number (E.164). */
export const DEMO_NUMBER = '+447700900100';
export const DEMO_MESSAGING_SERVICE_SID = 'MG' + 'ac'.padEnd(32, '0');
export const DEMO_WHATSAPP_PHONE_NUMBER_ID = '106540352242922';
export const DEMO_WABA_ID = '102290129340398';
export const DEMO_EMAIL_FROM = 'workshop@acme-motors.example';
export const DEMO_CUSTOMER_COUNT = 60;

/** Password of every demo staff user (demo only: printed at first start). */
export const DEMO_STAFF_PASSWORD = 'torqueflow-demo';
export const DEMO_STAFF = [
  { email: 'owner@acme-motors.example', name: 'Olivia Owner', role: 'owner' },
  { email: 'manager@acme-motors.example', name: 'Mike Manager', role: 'manager' },
  { email: 'advisor@acme-motors.example', name: 'Sara Advisor', role: 'service_advisor' },
  { email: 'tech@acme-motors.example', name: 'Tom Technician', role: 'technician' },
] as const;

/** Approved WhatsApp templates of the demo garage, with `{named}` placeholders. */
export const DEMO_TEMPLATES = [
  { name: 'appointment_reminder', language: 'en_GB', category: 'UTILITY' as const, body: 'Hi {customer_name}, a reminder that your car is booked in at Acme Motors on {appointment_time}. Reply to this message if you need to change it.' },
  { name: 'vehicle_ready', language: 'en_GB', category: 'UTILITY' as const, body: 'Hi {customer_name}, your {vehicle} is ready to collect from Acme Motors. We are open until 5:30pm.' },
];

const FIRST = ['Olivia', 'Jack', 'Amelia', 'Harry', 'Isla', 'Oliver', 'Ava', 'George', 'Mia', 'Noah', 'Sophie', 'Leo', 'Grace', 'Arthur', 'Lily', 'Oscar', 'Freya', 'Charlie', 'Emily', 'Alfie'];
const LAST = ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Davies', 'Evans', 'Thomas', 'Roberts', 'Patel', 'Khan', 'Walker', 'Wright', 'Hughes', 'Green', 'Hall', 'Wood', 'Clarke', 'Lewis'];
const CARS: Array<[string, string]> = [['Ford', 'Fiesta'], ['Vauxhall', 'Corsa'], ['Volkswagen', 'Golf'], ['Nissan', 'Qashqai'], ['BMW', '3 Series'], ['Toyota', 'Yaris'], ['Kia', 'Sportage'], ['Audi', 'A3'], ['Skoda', 'Octavia'], ['Honda', 'Civic']];
const JOBS = ['MOT and service', 'Front brake pads and discs', 'Clutch replacement', 'Annual service', 'Timing belt', 'Diagnostic: engine warning light', 'Air-con regas', 'Tyres x2 and tracking', 'Exhaust repair', 'Battery replacement'];

export type DemoWorkOrder = { number: string; title: string; status: 'booked' | 'in_progress' | 'awaiting_parts' | 'completed' };
export type DemoCustomer = {
  name: string;
  phone: string;
  email: string;
  vehicle: { registration: string; make: string; model: string };
  workOrders: DemoWorkOrder[];
};

/** Customer `i` (0-based) of the demo roster: number +4477009001{01+i}. */
export function demoCustomer(i: number): DemoCustomer {
  const first = FIRST[i % FIRST.length]!;
  const last = LAST[(i * 7 + 3) % LAST.length]!;
  const [make, model] = CARS[i % CARS.length]!;
  const letters = 'ABCDEFGHJKLMNOPRSTUVWXY';
  const reg = `${letters[i % 23]}${letters[(i * 5) % 23]}${String(10 + (i % 60)).padStart(2, '0')} ${letters[(i * 3) % 23]}${letters[(i * 11) % 23]}${letters[(i * 13 + 1) % 23]}`;
  const wo = (n: number, status: DemoWorkOrder['status']): DemoWorkOrder => ({
    number: `WO-${String(1000 + i * 3 + n)}`,
    title: JOBS[(i + n) % JOBS.length]!,
    status,
  });
  // Every 7th customer has two active jobs (staff must pick one to link); every 5th has none active.
  const workOrders =
    i % 7 === 0 ? [wo(0, 'in_progress'), wo(1, 'booked'), wo(2, 'completed')]
    : i % 5 === 0 ? [wo(0, 'completed')]
    : [wo(0, i % 3 === 0 ? 'awaiting_parts' : 'in_progress'), wo(1, 'completed')];
  return {
    name: `${first} ${last}`,
    phone: `+447700900${101 + i}`,
    email: `${first}.${last}${i}@example.co.uk`.toLowerCase(),
    vehicle: { registration: reg, make, model },
    workOrders,
  };
}
