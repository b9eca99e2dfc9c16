/**
 * Word lists the inbox benchmark's generator draws from: customer names,
 * vehicles, and the garage phrases message bodies are made of. Each phrase
 * list has a few dozen entries, so one garage word ("clutch", "MOT",
 * "invoice") lands in roughly 1-6 % of messages, as in a real garage's
 * inbox, and keyword search meets realistic selectivity.
 *
 * Outbound phrases may contain `{first}` (the customer's first name),
 * `{car}` (make and model) and `{n}` (a number), which the generator fills in.
 */

/** Given names, most common first (the generator favours the head of the list). */
export const FIRST_NAMES = [
  'Oliver', 'Amelia', 'George', 'Olivia', 'Harry', 'Isla', 'Jack', 'Ava', 'Noah', 'Emily', 'Charlie', 'Sophie', 'Jacob', 'Grace',
  'Thomas', 'Mia', 'Oscar', 'Poppy', 'William', 'Ella', 'James', 'Lily', 'Leo', 'Evie', 'Alfie', 'Jessica', 'Joshua', 'Chloe',
  'Freddie', 'Sophia', 'Archie', 'Ruby', 'Ethan', 'Daisy', 'Isaac', 'Freya', 'Henry', 'Alice', 'Mohammed', 'Florence', 'Daniel',
  'Priya', 'David', 'Aisha', 'Michael', 'Fatima', 'Paul', 'Sarah', 'Mark', 'Rachel', 'Gareth', 'Siobhan', 'Rhys', 'Niamh', 'Callum',
  'Eilidh', 'Tomasz', 'Agnieszka', 'Arjun', 'Anjali', 'Kwame', 'Ngozi', 'Chen', 'Mei', 'Dmitri', 'Olena', 'Raj', 'Sunita', 'Liam',
  'Catherine', 'Steven', 'Deborah', 'Graham', 'Wendy', 'Keith', 'Janet', 'Colin', 'Margaret', 'Darren', 'Kerry',
] as const;

/** Family names, most common first. */
export const LAST_NAMES = [
  'Smith', 'Jones', 'Williams', 'Taylor', 'Brown', 'Davies', 'Evans', 'Wilson', 'Thomas', 'Johnson', 'Roberts', 'Robinson',
  'Thompson', 'Wright', 'Walker', 'White', 'Edwards', 'Hughes', 'Green', 'Hall', 'Lewis', 'Harris', 'Clarke', 'Patel', 'Jackson',
  'Wood', 'Turner', 'Martin', 'Cooper', 'Hill', 'Ward', 'Morris', 'Moore', 'Clark', 'Lee', 'King', 'Baker', 'Harrison', 'Morgan',
  'Allen', 'James', 'Scott', 'Phillips', 'Watson', 'Davis', 'Parker', 'Price', 'Bennett', 'Young', 'Griffiths', 'Mitchell', 'Kelly',
  'Cook', 'Carter', 'Richardson', 'Bailey', 'Collins', 'Bell', 'Shaw', 'Murphy', 'Miller', 'Cox', 'Richards', 'Khan', 'Marshall',
  'Anderson', 'Simpson', 'Ellis', 'Adams', 'Singh', 'Begum', 'Wilkinson', 'Foster', 'Chapman', 'Powell', 'Webb', 'Rogers', 'Gray',
  'Mason', 'Ali', 'Hunt', 'Hussain', 'Campbell', 'Matthews', 'Owen', 'Palmer', 'Holmes', 'Mills', 'Barnes', 'Knight', 'Lloyd',
  'Butler', 'Russell', 'Barker', 'Fisher', 'Stevens', 'Jenkins', 'Murray', 'Dixon', 'Harvey', 'Okafor', 'Nowak', 'Kowalski',
  'Sharma', 'Chowdhury', 'MacLeod', 'Fitzgerald', 'Zhang', 'Kovalenko', 'Mensah', "O'Brien", 'Ahmed', 'Rahman', 'Gill',
] as const;

export const VEHICLES = [
  'Ford Fiesta', 'Vauxhall Corsa', 'Volkswagen Golf', 'Ford Focus', 'Nissan Qashqai', 'BMW 3 Series', 'Mini Cooper',
  'Audi A3', 'Vauxhall Astra', 'Toyota Yaris', 'Kia Sportage', 'Mercedes A-Class', 'Volkswagen Polo', 'Hyundai Tucson',
  'Skoda Octavia', 'Toyota Corolla', 'Peugeot 208', 'Land Rover Discovery', 'Tesla Model 3', 'Honda Civic', 'Ford Transit',
] as const;

/** What customers write (inbound SMS, WhatsApp and portal messages). */
export const INBOUND_PHRASES = [
  'Hi, is my car ready yet?',
  'Can I book an MOT for next week?',
  'The brake pads are squealing again when I stop.',
  'How much for four new tyres?',
  'Can I pick it up after 5?',
  'Is a courtesy car available on Thursday?',
  'Thanks, I will pay the invoice online tonight.',
  'The engine management light has come on.',
  'Clutch feels heavy and it slips in third, can you have a look?',
  'What time do you close today?',
  'Running 10 minutes late, sorry!',
  'Do you do air con regas?',
  'Can you send me the quote again please?',
  'Battery was flat again this morning.',
  'Great, see you at 9.',
  'Is the timing belt due at this mileage?',
  'There is a knocking noise from the front suspension.',
  'Can my partner collect the car instead?',
  'Please go ahead with the work.',
  'That is more than I expected, can we just do the essentials?',
  'Has the part arrived yet?',
  'Can you check the tyre pressures while it is in?',
  'Windscreen has a chip, do you repair those?',
  'The exhaust sounds really loud since yesterday.',
  'Do I need to leave the keys at reception?',
  'Could you do a full service at the same time?',
  'I got the reminder, when is the earliest slot?',
  'Thank you, the car drives perfectly now.',
  'Can I pay by card when I collect?',
  'Is it OK to park outside overnight?',
  'My coolant warning light is flashing.',
  'Any chance of a lift to the station?',
] as const;

/** What the garage writes (outbound). */
export const OUTBOUND_PHRASES = [
  'Hi {first}, your {car} is booked in for its MOT on Tuesday at 8:30.',
  'Hi {first}, your {car} is ready for collection.',
  'We found the front brake pads worn to 2mm; replacing them is £{n} including fitting. Shall we go ahead?',
  'Your invoice INV-{n} is ready: you can pay online through the portal link.',
  'A courtesy car is reserved for you for tomorrow morning.',
  'Reminder: the MOT on your {car} is due at the end of the month.',
  'The tyres are in stock; fitting and balancing takes about an hour.',
  'We will give you a call once it is on the ramp.',
  'The clutch needs replacing, the quote is £{n} with a new flywheel.',
  'Your {car} passed its MOT with two advisories: rear tyres close to the legal limit.',
  'Thanks {first}, see you on Friday.',
  'The part is on order and should be with us by Wednesday.',
  'We have recharged the air con and it is blowing cold again.',
  'Your battery tested weak; a replacement is £{n} fitted.',
  'We are open until 6pm today, keys are at reception.',
  'The timing belt and water pump are due at 60,000 miles; we can do both for £{n}.',
  'Good news, the warning light was a faulty sensor, now replaced.',
  'Service complete, oil and filters changed, next service due in 12 months.',
  'Please reply YES to approve the extra work.',
  'We have a cancellation tomorrow at 10 if that suits?',
  'The exhaust back box has a hole; a new one is £{n} fitted.',
  'Your {car} is washed and parked out front, have a good evening.',
  'The windscreen chip is repaired, no charge for the repair.',
  'Payment received, thank you {first}.',
  'Suspension arm replaced and wheel alignment checked.',
  'We could not reach you by phone, please call us back about the {car}.',
  'Your booking is confirmed for Monday at 9.',
  'Coolant leak traced to a split hose, replaced and topped up.',
] as const;

/** Staff notes and system entries (direction 'internal'). */
export const NOTE_PHRASES = [
  'Customer prefers a call after 5pm.',
  'Waiting on parts from the supplier.',
  'Quoted over the phone, customer thinking about it.',
  'Second car on the account, check the reg before booking.',
  'Loan car keys handed over, fuel half tank.',
  'Discount agreed by the manager.',
] as const;

export const SYSTEM_PHRASES = [
  'Linked work order WO-{n}',
  'Conversation assigned',
  'Unlinked work order WO-{n}',
] as const;

/** Staff of each organisation: names and default role keys. The service advisor first is "me". */
export const STAFF = [
  { name: 'Sam Advisor', role: 'service_advisor' },
  { name: 'Olivia Owner', role: 'owner' },
  { name: 'Martin Manager', role: 'manager' },
  { name: 'Sally Desk', role: 'service_advisor' },
  { name: 'Terry Spanner', role: 'technician' },
  { name: 'Tina Wheeler', role: 'technician' },
] as const;
