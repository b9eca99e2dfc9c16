/**
 * The cover page of a Subject Access Request export: what UK GDPR (art. 15)
 * and the ICO's right-of-access guidance say a response includes besides the
 * copy of the data — purposes, categories, recipients, retention, the rights
 * to rectification, erasure, restriction and objection, the right to complain
 * to the ICO, the source of the data, and automated decision-making (the AI
 * receptionist) — and a list of the files with how many records each holds.
 * Pure: the same inputs give the same text.
 */

export type CoverInput = {
  organisationName: string;
  customerName: string;
  customerId: string;
  generatedAt: Date;
  /** File name → records in it (null for files that are not record lists). */
  files: Array<{ name: string; records: number | null; describes: string }>;
  /** Whether the garage's AI receptionist has handled any of the customer's messages. */
  aiUsed: boolean;
};

/** The cover page as plain text (UTF-8, CRLF-free; opens anywhere). */
export function sarCoverPage(input: CoverInput): string {
  const g = input.organisationName;
  const fileLines = input.files.map((f) => `  - ${f.name}${f.records === null ? '' : ` (${f.records} record${f.records === 1 ? '' : 's'})`}: ${f.describes}`);
  return [
    `Subject Access Request: copy of your personal data`,
    `=================================================`,
    ``,
    `Data controller: ${g}`,
    `About: ${input.customerName} (customer reference ${input.customerId})`,
    `Prepared: ${input.generatedAt.toISOString()} (UTC)`,
    ``,
    `This archive answers a request under Article 15 of the UK GDPR (right of access). It holds a`,
    `copy of every record ${g} keeps about you in its messaging system, in two forms: data.json (all of`,
    `it in one file) and one CSV file per kind of record in csv/ (cells that a spreadsheet would read`,
    `as a formula start with an apostrophe). Photos and files you sent or were sent are in media/, and`,
    `recordings of phone calls in recordings/.`,
    ``,
    `What is in this archive`,
    `-----------------------`,
    ...fileLines,
    ``,
    `Why we hold it (purposes) and on what basis`,
    `-------------------------------------------`,
    `  - To carry out work on your vehicle and keep you informed about it (work order updates,`,
    `    appointments, completion notices): performance of our contract with you.`,
    `  - Service and MOT reminders: with your consent, which you can withdraw at any time.`,
    `  - Offers and promotions: only with your explicit consent (off unless you opted in).`,
    `  - To answer your messages and calls, and keep a record of them: our legitimate interest in`,
    `    running the garage and resolving disputes.`,
    `  - To prove what you agreed to and when (the consent history): a legal obligation to be able to`,
    `    demonstrate consent.`,
    ``,
    `Categories of data`,
    `------------------`,
    `  Identity and contact details (name, phone, e-mail), vehicles (registration, make, model), work`,
    `  orders, messages by SMS, WhatsApp, e-mail and the customer portal (text, photos and files),`,
    `  phone calls (times, duration, recordings and transcripts where made), your communication`,
    `  preferences and every change to them (with the IP address and browser of changes you made in`,
    `  the portal), and portal sign-ins.`,
    ``,
    `Who receives it (recipients)`,
    `----------------------------`,
    `  - Twilio Inc. (SMS, MMS and phone calls, including recordings and transcription).`,
    `  - Meta Platforms Ireland Ltd (WhatsApp Business messages).`,
    `  - The garage's e-mail provider (e-mail messages and portal sign-in links).`,
    `  - The garage's hosting and file storage provider (where this system runs and media is kept).`,
    `  - The provider of the AI model the garage's AI receptionist uses, if the garage has turned it`,
    `    on (the text of messages it answers).`,
    `  Some of these providers process data outside the UK under safeguards such as the UK`,
    `  International Data Transfer Addendum. We do not sell your data.`,
    ``,
    `How long we keep it (retention)`,
    `-------------------------------`,
    `  Messages, calls, media and work orders are kept for as long as you are a customer of ${g} and`,
    `  for up to six years after your last work order (the limitation period for contract claims),`,
    `  unless you ask us to erase them sooner and no legal reason requires us to keep them. Portal`,
    `  sign-in links expire after a few days and sessions after 30 days. The consent history is kept`,
    `  for as long as we hold any of your data, as evidence of what you agreed to.`,
    ``,
    `Where the data came from (source)`,
    `---------------------------------`,
    `  From you (your messages, calls, portal use and what you told staff), from staff at ${g}, and`,
    `  from the garage's workshop management system (customer, vehicle and work order records).`,
    `  Delivery and read receipts come from Twilio, Meta and e-mail providers.`,
    ``,
    `Automated processing (the AI receptionist)`,
    `------------------------------------------`,
    input.aiUsed
      ? `  ${g} uses an AI receptionist that reads incoming messages, sorts them (general question,`
      : `  ${g} can use an AI receptionist that reads incoming messages, sorts them (general question,`,
    `  booking, unknown) and may answer simple questions or hand the conversation to a person. It makes`,
    `  no decision with legal or similarly significant effects on you: bookings, prices and work are`,
    `  always decided by staff. Its decisions about your messages are listed in`,
    `  csv/ai_receptionist_decisions.csv${input.aiUsed ? '' : ' (none so far)'}. Messages it wrote are marked ai_generated.`,
    ``,
    `Your rights`,
    `-----------`,
    `  You have the right to have inaccurate data corrected (rectification), to have your data erased (erasure),`,
    `  to restrict how we use it, and to object to our using it (including at any time to direct`,
    `  marketing). You can also withdraw consent for reminders, offers and WhatsApp at any time from`,
    `  the customer portal or by asking us, and reply STOP to any SMS. To use any of these rights,`,
    `  contact ${g}.`,
    ``,
    `  If you are unhappy with how we have used your data you can complain to the Information`,
    `  Commissioner's Office (ICO): https://ico.org.uk/make-a-complaint/ or 0303 123 1113.`,
    ``,
  ].join('\n');
}
