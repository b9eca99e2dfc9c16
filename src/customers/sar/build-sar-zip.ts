/**
 * The Subject Access Request archive (issue 12 item 8): one zip with
 * - `cover-page.txt`: what UK GDPR requires besides the data (`sar-cover.ts`);
 * - `data.json`: everything in one document;
 * - `csv/{table}.csv`: the same records, one file per kind, formula-safe cells (`csv-safe.ts`);
 * - `media/{mediaId}.{ext}`: every stored photo or file, streamed from the media store;
 * - `recordings/{RecordingSid}.{ext}`: call recordings.
 *
 * Built with yazl, which writes entries one after another to its output
 * stream and deflates with Node's zlib (off the main thread): the response
 * starts as soon as the first file is compressed, and a media object is only
 * opened from the store when its turn comes (`addReadStreamLazy`), so memory
 * stays bounded by the text files, not the photos. Media, already
 * compressed, is stored as is. (JSZip's pure-JS deflate made a
 * 5,000-message export several times slower: `npm run bench:sar`.)
 */
import { Readable } from 'node:stream';
import yazl from 'yazl';
import type { MediaStore } from '../../media/store.js';
import { toSafeCsv } from './csv-safe.js';
import { mediaFileName, recordingFileName, type SarData, type SarRecording, type SarRows } from './load-sar-data.js';
import { sarCoverPage } from './sar-cover.js';

const DESCRIPTIONS: Record<keyof SarData['tables'] | 'customer', string> = {
  customer: 'your details as the garage holds them',
  vehicles: 'your vehicles',
  work_orders: 'work orders (jobs) for you',
  conversations: 'your conversation with the garage (one thread across every channel)',
  messages: 'every message, staff note and system entry in it, oldest first',
  calls: 'phone calls, with duration, outcome and transcript',
  media: 'photos and files in messages (the files are in media/)',
  call_recordings: 'recordings of calls (the audio is in recordings/)',
  consents: 'your communication preferences now',
  consent_history: 'every change to your communication preferences, with its source',
  sms_opt_outs: 'whether your number has replied STOP to SMS',
  portal_links: 'customer portal sign-in links sent to you (the codes themselves are not kept)',
  portal_sessions: 'customer portal sign-ins',
  whatsapp_verifications: 'WhatsApp number verifications (the codes themselves are not kept)',
  reminder_emails: 'reminder e-mails about unread portal messages',
  ai_receptionist_decisions: "the AI receptionist's decisions about your messages",
};

const columnsOf = (rows: SarRows) => (rows[0] ? Object.keys(rows[0]) : []);

/**
 * @param store where `media` rows' and recordings' files are read from (a missing object becomes an empty file; its row still says what it was)
 * @param storageKeys media id → storage key, for the stored media rows
 * @returns the zip as a Node stream (pipe it to the response)
 */
export function buildSarZip(data: SarData, recordings: SarRecording[], storageKeys: Map<string, string>, store: MediaStore, now: Date): Readable {
  const zip = new yazl.ZipFile();
  const text = (name: string, content: string) => zip.addBuffer(Buffer.from(content, 'utf8'), name, { mtime: now, compressionLevel: 6 });
  const tables = Object.entries(data.tables) as Array<[keyof SarData['tables'], SarRows]>;
  text('cover-page.txt', sarCoverPage({
    organisationName: data.organisation.name, customerName: String(data.customer.name), customerId: String(data.customer.id), generatedAt: now,
    aiUsed: data.tables.ai_receptionist_decisions.length > 0,
    files: [
      { name: 'data.json', records: null, describes: 'all of the records below in one JSON document' },
      { name: 'csv/customer.csv', records: 1, describes: DESCRIPTIONS.customer },
      ...tables.map(([name, rows]) => ({ name: `csv/${name}.csv`, records: rows.length, describes: DESCRIPTIONS[name] })),
    ],
  }));
  text('data.json', JSON.stringify({ exportedAt: now, organisation: data.organisation, customer: data.customer, ...data.tables }, null, 2));
  text('csv/customer.csv', toSafeCsv([data.customer], Object.keys(data.customer)));
  for (const [name, rows] of tables) text(`csv/${name}.csv`, toSafeCsv(rows, columnsOf(rows)));

  const fromStore = (name: string, key: string, mtime: Date) => zip.addReadStreamLazy(name, { mtime, compress: false }, (cb) => {
    store.get(key).then((object) => cb(null, object?.body ?? Readable.from([])), (e: unknown) => cb(e as Error, undefined as never));
  });
  for (const m of data.tables.media) {
    const key = storageKeys.get(String(m.id));
    if (key) fromStore(mediaFileName(String(m.id), String(m.content_type)), key, m.created_at as Date);
  }
  for (const r of recordings) fromStore(recordingFileName(r.recordingSid, r.contentType), r.storageKey, now);
  zip.end();
  return zip.outputStream as Readable;
}
