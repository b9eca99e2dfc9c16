/**
 * What customers write to a garage during a day: text lines, photo
 * captions, quick replies and attachments used by the scenario generator.
 */

export const CUSTOMER_LINES = [
  'Hi, is my car ready yet?',
  'Morning! What time can I drop the keys off?',
  'Can I book an MOT for next week?',
  'Thanks, see you at 9',
  'Is the quote still valid?',
  'How much longer do you think it will be?',
  'The warning light is back on 😬',
  'Can you check the tyre pressures while it’s in?',
  'Could you call me when it’s done please',
  'I can collect at 5:30 if that works?',
  'Do you need the locking wheel nut? It’s in the glovebox',
  'Brilliant, thank you so much!',
  'Can I pay by card when I collect?',
  'Is there a courtesy car available tomorrow?',
  'Yes please go ahead with the extra work',
  'Hmm that’s more than I expected, can you itemise it?',
];

export const UNKNOWN_LINES = [
  'Hi, do you do MOTs on Saturdays?',
  'How much for a full service on a 2016 Golf?',
  'Got your number from a friend, can you look at my brakes? They squeal',
  'Do you have any availability this week for a clutch?',
  'Hello, are you open on bank holiday Monday?',
  'Wrong number sorry',
  'Do you fit tyres? Need two 205/55 R16',
  'My car failed its MOT elsewhere, can you quote for the advisories?',
  'Hi it’s Sam, I’ve got a new number, this is my mobile now',
  'Can I get a price for an air con regas?',
  'Is it you that does the Škoda servicing?',
  'STOP',
];

/** A message long enough to arrive in several SMS segments. */
export const LONG_LINE =
  'Hi, just to let you know the car has been making a grinding noise from the front left when I brake, mostly in the mornings when it is cold, ' +
  'and now there is a slight vibration through the steering wheel at about 50mph as well. Could you have a look at both when it comes in on Thursday? Thanks';

export const PHOTO_CAPTIONS = ['', '', 'This is the dashboard light', 'Scratch on the rear bumper, was it there before?', 'Tyre looks low', 'Here’s the V5 📄', 'Leak under the car this morning'];

export const IMAGE_TYPES = ['image/jpeg', 'image/jpeg', 'image/jpeg', 'image/png', 'image/heic'] as const;

export const BUTTON_REPLIES: ReadonlyArray<{ text: string; payload: string }> = [
  { text: 'Yes, book it', payload: 'BOOKING_CONFIRM' },
  { text: 'Call me', payload: 'CALLBACK_REQUEST' },
  { text: 'Approve quote', payload: 'QUOTE_APPROVE' },
];

export const INTERACTIVE_REPLIES: ReadonlyArray<{ kind: 'button_reply' | 'list_reply'; id: string; title: string; description?: string }> = [
  { kind: 'button_reply', id: 'collect_1700', title: 'Collect at 5pm' },
  { kind: 'button_reply', id: 'collect_tomorrow', title: 'Tomorrow morning' },
  { kind: 'list_reply', id: 'slot_mon_0830', title: 'Mon 08:30', description: 'Drop-off, MOT bay 2' },
  { kind: 'list_reply', id: 'slot_tue_1000', title: 'Tue 10:00', description: 'Service, courtesy car available' },
];

export const DOCUMENTS: ReadonlyArray<{ filename: string; mimeType: string; caption: string }> = [
  { filename: 'insurance-certificate.pdf', mimeType: 'application/pdf', caption: 'Insurance doc as requested' },
  { filename: 'previous MOT.pdf', mimeType: 'application/pdf', caption: '' },
];

export const LOCATIONS: ReadonlyArray<{ latitude: number; longitude: number; name: string; address: string }> = [
  { latitude: 51.5033, longitude: -0.1196, name: 'Broken down here', address: 'Westminster Bridge Rd, London' },
  { latitude: 53.4808, longitude: -2.2426, name: 'Car park level 3', address: 'Piccadilly, Manchester' },
];
