/**
 * Generates a replayed garage day as provider requests, without sending
 * anything: the same seed, run id, clock and outbound list always give the
 * same requests in the same order.
 *
 * The day holds inbound SMS/MMS (Twilio) and WhatsApp Cloud API messages
 * from the demo customers and unknown numbers, photo albums sent as bursts
 * of concurrent webhooks, WhatsApp batches carrying several messages and
 * statuses in one POST, provider retries (sequential re-sends and
 * concurrent duplicates, plus a message re-delivered inside a later batch),
 * and delivery-status callbacks for the garage's outbound messages that
 * arrive out of order, duplicated, and sometimes as failures.
 *
 * Requests are grouped into episodes: one episode's steps go out one after
 * another, the requests of one step all at once; episodes are ordered by
 * simulated time and run side by side.
 */
import { CUSTOMER_LINES, BUTTON_REPLIES, DOCUMENTS, IMAGE_TYPES, INTERACTIVE_REPLIES, LOCATIONS, LONG_LINE, PHOTO_CAPTIONS, UNKNOWN_LINES } from './content.js';
import { createRng, type Rng } from './prng.js';
import { hexToken, twilioSid, wamid, whatsAppMediaId } from './provider-ids.js';
import { replaySenders, type Sender } from './roster.js';
import { rawDlrDoneDate, twilioInboundParams, twilioMediaUrl, twilioStatusParams, type TwilioMedia } from './twilio-payloads.js';
import {
  unixSeconds, waButton, waInteractive, waLocation, waMedia, waStatus, waText, whatsAppWebhookBody,
  type WaChange, type WaContact, type WaMessage, type WaStatus,
} from './whatsapp-payloads.js';

export type Provider = 'twilio' | 'whatsapp';

/** The garage's addresses the providers deliver to. */
export type GarageAddresses = {
  /** Twilio number, E.164 (also the WhatsApp display number). */
  number: string;
  messagingServiceSid: string;
  whatsappPhoneNumberId: string;
  /** A Messaging Service pool number not registered on its own: its callbacks route by the service sid. */
  poolNumber: string;
};

/** An outbound message already handed to a provider, which will send callbacks for it. */
export type OutboundRef = { provider: Provider; providerMessageId: string; recipientPhone: string };

export type ScenarioInput = {
  seed: string;
  /** Salts every provider id, so each run is a new day. */
  runId: string;
  now: Date;
  /** Lower bound on the number of distinct inbound messages. */
  targetMessages: number;
  garage: GarageAddresses;
  outbound: readonly OutboundRef[];
};

type RequestBase = {
  /** Equal for byte-identical requests (a retry repeats its original's key). */
  key: string;
  label: string;
  /** `inboundKey`s of the customer messages carried. */
  inboundKeys: string[];
  /** Delivery-status items carried. */
  statusCount: number;
};
export type TwilioRequest = RequestBase & { provider: 'twilio'; path: '/twilio/sms' | '/twilio/status'; params: Record<string, string>; idempotencyToken: string };
export type WhatsAppRequest = RequestBase & { provider: 'whatsapp'; path: '/whatsapp/webhook'; body: string };
export type ProviderRequest = TwilioRequest | WhatsAppRequest;

/** Steps run in order; the requests of one step are sent concurrently. */
export type Episode = { at: number; label: string; steps: ProviderRequest[][] };

/** One distinct customer message the day sends (however many times it is delivered). */
export type InboundSent = {
  provider: Provider;
  providerMessageId: string;
  /** Sender, E.164. */
  from: string;
  channel: 'sms' | 'whatsapp';
  kind: 'sms' | 'mms' | 'text' | 'image' | 'document' | 'button' | 'interactive' | 'location';
  /** Text the inbox must show; null when its wording is the server's to choose (locations). */
  body: string | null;
  mediaCount: number;
  /** WhatsApp `timestamp` (unix seconds); null for Twilio, which sends none. */
  timestamp: number | null;
  /** Profile name sent with the message (WhatsApp), else null. */
  profileName: string | null;
};

/** One distinct status callback (however many times it is delivered). */
export type StatusSent = { provider: Provider; providerMessageId: string; providerStatus: string; errorCode: string | null };

export type Scenario = {
  seed: string;
  runId: string;
  startsAt: number;
  endsAt: number;
  episodes: Episode[];
  inbound: InboundSent[];
  statuses: StatusSent[];
  /** Everyone who writes in during the day. */
  senders: Sender[];
  albums: number;
  batches: number;
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** The simulated day: from 22 h ago until 2 minutes ago, so every WhatsApp window it opens is still open. */
const DAY_STARTS_AGO = 22 * HOUR;
const DAY_ENDS_AGO = 2 * MINUTE;

/** Identity of an inbound message across providers. */
export function inboundKey(provider: Provider, providerMessageId: string): string {
  return `${provider}:${providerMessageId}`;
}

type Mode = 'sms' | 'whatsapp' | 'both';
type WaDraft = { sent: InboundSent; message: WaMessage; contact: WaContact; at: number };
type Plan = { words: string[]; error?: string };

const TWILIO_PLANS: ReadonlyArray<readonly [Plan | null, number]> = [
  [null, 8],
  [{ words: ['sent', 'delivered'] }, 38],
  [{ words: ['delivered', 'sent'] }, 14],
  [{ words: ['sent', 'delivered', 'sending'] }, 6],
  [{ words: ['sent', 'undelivered'], error: '30003' }, 12],
  [{ words: ['undelivered', 'sent'], error: '30003' }, 4],
  [{ words: ['sent', 'undelivered'], error: '30006' }, 4],
  [{ words: ['sent'] }, 8],
  [{ words: ['delivered'] }, 6],
];

const WHATSAPP_PLANS: ReadonlyArray<readonly [Plan | null, number]> = [
  [null, 6],
  [{ words: ['sent', 'delivered', 'read'] }, 28],
  [{ words: ['sent', 'read', 'delivered'] }, 12],
  [{ words: ['delivered', 'sent'] }, 8],
  [{ words: ['sent', 'read'] }, 10],
  [{ words: ['read', 'delivered', 'sent'] }, 6],
  [{ words: ['sent', 'delivered'] }, 10],
  [{ words: ['sent', 'failed'], error: '131026' }, 10],
  [{ words: ['failed', 'sent'], error: '131049' }, 4],
  [{ words: ['sent', 'delivered', 'failed'], error: '131026' }, 3],
  // No 131047 ("re-engagement"): Meta returns it only for messages sent outside the 24-hour window,
  // and every demo reply was sent inside it.
];

const WHATSAPP_ERRORS: Record<string, { code: number; title: string; details: string }> = {
  '131026': { code: 131026, title: 'Message undeliverable', details: 'Unable to deliver message. The recipient may not be on WhatsApp or may be using an old app version.' },
  '131049': { code: 131049, title: 'This message was not delivered to maintain healthy ecosystem engagement.', details: 'Meta chose not to deliver this message.' },
};

/**
 * Build the whole day.
 * @returns requests grouped into episodes (sorted by simulated time), plus what they carry, for computing expectations
 */
export function generateScenario(input: ScenarioInput): Scenario {
  const rng = createRng(input.seed);
  const { runId, garage } = input;
  const now = input.now.getTime();
  const startsAt = now - DAY_STARTS_AGO;
  const endsAt = now - DAY_ENDS_AGO;
  const timeIn = (r: Rng): number => startsAt + Math.floor(r.next() * (endsAt - startsAt));
  const displayNumber = garage.number.replace(/^\+/, '');
  const outboundWa = input.outbound.filter((o) => o.provider === 'whatsapp').map((o) => o.providerMessageId).sort();

  const episodes: Episode[] = [];
  const inbound: InboundSent[] = [];
  const statuses: StatusSent[] = [];
  let requestSeq = 0;
  const nextKey = (): string => `r${++requestSeq}`;

  const retryRng = rng.fork('retries');
  /** Provider retries: mostly one delivery, sometimes re-sent after the ack, sometimes duplicated at once. */
  const withRetries = (req: ProviderRequest): ProviderRequest[][] =>
    retryRng.weighted<ProviderRequest[][]>([
      [[[req]], 86],
      [[[req], [req]], 6],
      [[[req, req]], 5],
      [[[req, req, req]], 1],
      [[[req, req], [req]], 2],
    ]);

  /** @param event what Twilio's idempotency token stands for: one message, or one status of one message */
  const twilioRequest = (path: TwilioRequest['path'], params: Record<string, string>, event: string, label: string, inboundKeys: string[], statusCount: number): TwilioRequest => ({
    provider: 'twilio', path, params, idempotencyToken: hexToken(runId, `idem:${event}`, 32), key: nextKey(), label, inboundKeys, statusCount,
  });
  const whatsAppRequest = (entries: WaChange[][], label: string): WhatsAppRequest => {
    const changes = entries.flat();
    return {
      provider: 'whatsapp', path: '/whatsapp/webhook', body: whatsAppWebhookBody(entries), key: nextKey(), label,
      inboundKeys: changes.flatMap((c) => c.messages.map((m) => inboundKey('whatsapp', m.id))),
      statusCount: changes.reduce((s, c) => s + c.statuses.length, 0),
    };
  };
  const change = (contacts: WaContact[], messages: WaMessage[], statusItems: WaStatus[]): WaChange => {
    const unique = new Map(contacts.map((c) => [c.wa_id, c]));
    return { phoneNumberId: garage.whatsappPhoneNumberId, displayPhoneNumber: displayNumber, contacts: [...unique.values()], messages, statuses: statusItems };
  };

  // --- Who writes, on which channels, how much -------------------------------------------------
  const senders = replaySenders();
  const modeRng = rng.fork('modes');
  const modes: Mode[] = senders.map((s) =>
    s.customerIndex !== null
      ? modeRng.weighted<Mode>([['sms', 45], ['whatsapp', 35], ['both', 20]])
      : modeRng.weighted<Mode>([['sms', 50], ['whatsapp', 40], ['both', 10]]),
  );
  const countRng = rng.fork('counts');
  const counts = senders.map(() => countRng.int(2, 8));
  while (counts.reduce((a, b) => a + b, 0) < input.targetMessages) counts[countRng.int(0, counts.length - 1)]!++;

  // --- One customer message ---------------------------------------------------------------------
  const contentRng = rng.fork('content');
  const smsMessage = (s: Sender, label: string, forceMms: boolean): TwilioRequest => {
    const mms = forceMms || contentRng.chance(0.22);
    const sid = twilioSid(mms ? 'MM' : 'SM', runId, label);
    const media: TwilioMedia[] = [];
    if (mms) {
      const n = forceMms ? 1 : contentRng.weighted([[1, 70], [2, 20], [3, 10]] as const);
      for (let i = 0; i < n; i++) media.push({ url: twilioMediaUrl(sid, twilioSid('ME', runId, `${label}:${i}`)), contentType: contentRng.pick(IMAGE_TYPES) });
    }
    const lines = s.customerIndex === null ? UNKNOWN_LINES : CUSTOMER_LINES;
    const body = mms ? contentRng.pick(PHOTO_CAPTIONS) : contentRng.chance(0.06) ? LONG_LINE : contentRng.pick(lines);
    inbound.push({
      provider: 'twilio', providerMessageId: sid, from: s.phone, channel: 'sms', kind: mms ? 'mms' : 'sms', body,
      mediaCount: media.length, timestamp: null, profileName: null,
    });
    const params = twilioInboundParams({
      sid, from: s.phone, to: garage.number, body, media, messagingServiceSid: garage.messagingServiceSid,
      segments: body.length > 160 ? Math.ceil(body.length / 153) : 1,
    });
    return twilioRequest('/twilio/sms', params, sid, `${mms ? 'mms' : 'sms'} ${s.phone}`, [inboundKey('twilio', sid)], 0);
  };

  const whatsAppMessage = (s: Sender, label: string, at: number, forceImage: boolean): WaDraft => {
    const id = wamid(runId, label);
    const ts = unixSeconds(at);
    const kind: InboundSent['kind'] = forceImage
      ? 'image'
      : contentRng.weighted<InboundSent['kind']>([['text', 55], ['image', 17], ['button', 9], ['interactive', 11], ['document', 4], ['location', 4]]);
    const contextId = outboundWa.length > 0 ? contentRng.pick(outboundWa) : wamid(runId, `ctx:${label}`);
    let message: WaMessage;
    let body: string | null;
    let mediaCount = 0;
    switch (kind) {
      case 'image': {
        const caption = contentRng.pick(PHOTO_CAPTIONS);
        message = waMedia(s.waId, id, ts, 'image', { id: whatsAppMediaId(runId, label), mimeType: 'image/jpeg', sha256: hexToken(runId, `sha:${label}`, 43), ...(caption ? { caption } : {}) });
        body = caption;
        mediaCount = 1;
        break;
      }
      case 'document': {
        const d = contentRng.pick(DOCUMENTS);
        message = waMedia(s.waId, id, ts, 'document', { id: whatsAppMediaId(runId, label), mimeType: d.mimeType, sha256: hexToken(runId, `sha:${label}`, 43), filename: d.filename, ...(d.caption ? { caption: d.caption } : {}) });
        body = d.caption;
        mediaCount = 1;
        break;
      }
      case 'button': {
        const b = contentRng.pick(BUTTON_REPLIES);
        message = waButton(s.waId, id, ts, b.text, b.payload, displayNumber, contextId);
        body = b.text;
        break;
      }
      case 'interactive': {
        const r = contentRng.pick(INTERACTIVE_REPLIES);
        message = waInteractive(s.waId, id, ts, r.kind, { id: r.id, title: r.title, ...(r.description ? { description: r.description } : {}) }, displayNumber, contextId);
        body = r.title;
        break;
      }
      case 'location':
        message = waLocation(s.waId, id, ts, contentRng.pick(LOCATIONS));
        body = null;
        break;
      default: {
        body = contentRng.chance(0.05) ? LONG_LINE : contentRng.pick(s.customerIndex === null ? UNKNOWN_LINES : CUSTOMER_LINES);
        message = waText(s.waId, id, ts, body);
      }
    }
    const sent: InboundSent = { provider: 'whatsapp', providerMessageId: id, from: s.phone, channel: 'whatsapp', kind, body, mediaCount, timestamp: Number(ts), profileName: s.profileName };
    inbound.push(sent);
    return { sent, message, contact: { profile: { name: s.profileName }, wa_id: s.waId }, at };
  };

  // --- Per sender: albums (bursts) and single messages ------------------------------------------
  const albumRng = rng.fork('albums');
  const timeRng = rng.fork('times');
  const batchRng = rng.fork('batches');
  const batchable: WaDraft[] = [];
  const individuallySent: WaDraft[] = [];
  let albums = 0;

  senders.forEach((s, si) => {
    const mode = modes[si]!;
    let remaining = counts[si]!;
    const times = Array.from({ length: remaining }, () => timeIn(timeRng)).sort((a, b) => a - b);
    const channelFor = (): 'sms' | 'whatsapp' => (mode === 'both' ? (contentRng.chance(0.5) ? 'sms' : 'whatsapp') : mode);

    if (remaining >= 3 && albumRng.chance(0.16)) {
      const size = Math.min(remaining, albumRng.int(3, 5));
      // An unknown number's album is its first contact: a burst that creates the conversation.
      const at = s.customerIndex === null ? times[0]! : albumRng.pick(times);
      const channel = channelFor();
      const burst: ProviderRequest[] = [];
      for (let k = 0; k < size; k++) {
        const label = `album:${si}:${k}`;
        if (channel === 'sms') burst.push(smsMessage(s, label, true));
        else {
          const d = whatsAppMessage(s, label, at + Math.floor(k / 2) * 1000, true);
          burst.push(whatsAppRequest([[change([d.contact], [d.message], [])]], `whatsapp album photo ${s.phone}`));
        }
      }
      const steps: ProviderRequest[][] = [albumRng.shuffle(burst)];
      if (albumRng.chance(0.25)) steps.push([albumRng.pick(burst)]); // the provider retries one photo
      episodes.push({ at, label: `album of ${size} from ${s.phone}`, steps });
      albums++;
      remaining -= size;
      times.splice(times.indexOf(at), 1);
      times.splice(0, size - 1);
    }

    for (let k = 0; k < remaining; k++) {
      const at = times[k] ?? timeIn(timeRng);
      const label = `msg:${si}:${k}`;
      if (channelFor() === 'sms') {
        const req = smsMessage(s, label, false);
        episodes.push({ at, label: req.label, steps: withRetries(req) });
      } else {
        const d = whatsAppMessage(s, label, at, false);
        if (batchRng.chance(0.25)) batchable.push(d);
        else {
          const req = whatsAppRequest([[change([d.contact], [d.message], [])]], `whatsapp ${d.sent.kind} ${s.phone}`);
          episodes.push({ at, label: req.label, steps: withRetries(req) });
          individuallySent.push(d);
        }
      }
    }
  });

  // --- Status callbacks for the garage's outbound messages --------------------------------------
  const statusRng = rng.fork('statuses');
  const waStatusPool: Array<{ item: WaStatus; at: number }> = [];
  const sortedOutbound = [...input.outbound].sort((a, b) => a.providerMessageId.localeCompare(b.providerMessageId));
  for (const ref of sortedOutbound) {
    const plan = statusRng.weighted(ref.provider === 'twilio' ? TWILIO_PLANS : WHATSAPP_PLANS);
    if (!plan) continue;
    let at = timeIn(statusRng);
    const episodeAt = at;
    const steps: ProviderRequest[][] = [];
    const viaPool = ref.provider === 'twilio' && statusRng.chance(0.15);
    for (const word of plan.words) {
      const failure = word === 'undelivered' || word === 'failed';
      const errorCode = failure ? plan.error ?? null : null;
      statuses.push({ provider: ref.provider, providerMessageId: ref.providerMessageId, providerStatus: word, errorCode });
      at += statusRng.int(5, 900) * 1000;
      const label = `status ${word} ${ref.providerMessageId.slice(0, 14)}…`;
      let req: ProviderRequest;
      if (ref.provider === 'twilio') {
        req = twilioRequest('/twilio/status', twilioStatusParams({
          sid: ref.providerMessageId, status: word,
          from: viaPool ? garage.poolNumber : garage.number, to: ref.recipientPhone,
          messagingServiceSid: viaPool || statusRng.chance(0.5) ? garage.messagingServiceSid : null,
          errorCode, rawDlrDoneDate: word === 'delivered' || word === 'undelivered' ? rawDlrDoneDate(new Date(Math.min(at, endsAt))) : null,
        }), `${ref.providerMessageId}:${word}`, label, [], 1);
      } else {
        const item = waStatus({
          id: ref.providerMessageId, status: word, ts: unixSeconds(Math.min(at, endsAt)), recipient: ref.recipientPhone.replace(/^\+/, ''),
          conversationId: hexToken(runId, `conv:${ref.providerMessageId}`, 32), error: errorCode ? WHATSAPP_ERRORS[errorCode] ?? null : null,
        });
        if (batchable.length > 0 && statusRng.chance(0.3)) {
          waStatusPool.push({ item, at });
          continue;
        }
        req = whatsAppRequest([[change([], [], [item])]], label);
      }
      // Duplicated callbacks: re-sent after the ack, or twice at once.
      const dup = statusRng.weighted([['none', 84], ['sequential', 8], ['concurrent', 8]] as const);
      if (dup === 'concurrent') steps.push([req, req]);
      else steps.push([req]);
      if (dup === 'sequential') steps.push([req]);
    }
    if (steps.length > 0) episodes.push({ at: episodeAt, label: `callbacks for ${ref.providerMessageId.slice(0, 14)}…`, steps });
  }

  // --- WhatsApp batches: several messages (and statuses) in one POST -----------------------------
  batchable.sort((a, b) => a.at - b.at);
  const groups: WaDraft[][] = [];
  for (let i = 0; i < batchable.length; ) {
    const size = batchRng.int(2, 5);
    groups.push(batchable.slice(i, i + size));
    i += size;
  }
  // Pooled statuses ride along in the batches, spread evenly and in no particular order.
  const groupStatuses: WaStatus[][] = groups.map(() => []);
  batchRng.shuffle(waStatusPool).forEach((s, j) => groupStatuses[j % groups.length]!.push(s.item));
  let batches = 0;
  groups.forEach((group, gi) => {
    const at = group[group.length - 1]!.at;
    const statusItems = groupStatuses[gi]!;
    const drafts = [...group];
    // A message already delivered on its own, delivered again inside a later batch.
    const earlier = individuallySent.filter((d) => d.at < at);
    if (earlier.length > 0 && batchRng.chance(0.12)) drafts.push(batchRng.pick(earlier));
    let entries: WaChange[][];
    const layout = drafts.length >= 3 ? batchRng.weighted([['one', 60], ['two-changes', 20], ['two-entries', 20]] as const) : 'one';
    if (layout === 'one') {
      entries = [[change(drafts.map((d) => d.contact), drafts.map((d) => d.message), statusItems)]];
    } else {
      const cut = Math.ceil(drafts.length / 2);
      const a = drafts.slice(0, cut);
      const b = drafts.slice(cut);
      const first = change(a.map((d) => d.contact), a.map((d) => d.message), statusItems);
      const second = change(b.map((d) => d.contact), b.map((d) => d.message), []);
      entries = layout === 'two-changes' ? [[first, second]] : [[first], [second]];
    }
    const req = whatsAppRequest(entries, `whatsapp batch of ${drafts.length} messages, ${statusItems.length} statuses`);
    episodes.push({ at, label: req.label, steps: withRetries(req) });
    batches++;
  });

  episodes.sort((a, b) => a.at - b.at);
  const writers = new Set(inbound.map((m) => m.from));
  return {
    seed: input.seed, runId, startsAt, endsAt, episodes, inbound, statuses,
    senders: senders.filter((s) => writers.has(s.phone)), albums, batches,
  };
}

/** Request totals of a scenario: every delivery, distinct requests, and the re-sends among them. */
export function scenarioTotals(s: Scenario): {
  requests: number; distinct: number; retries: number; inboundDeliveries: number; statusDeliveries: number; duplicateInboundDeliveries: number;
} {
  let requests = 0;
  let inboundDeliveries = 0;
  let statusDeliveries = 0;
  const keys = new Set<string>();
  for (const e of s.episodes) {
    for (const step of e.steps) {
      for (const r of step) {
        requests++;
        keys.add(r.key);
        inboundDeliveries += r.inboundKeys.length;
        statusDeliveries += r.statusCount;
      }
    }
  }
  return { requests, distinct: keys.size, retries: requests - keys.size, inboundDeliveries, statusDeliveries, duplicateInboundDeliveries: inboundDeliveries - s.inbound.length };
}
