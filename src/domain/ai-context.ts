/**
 * What the AI receptionist is shown: the garage (name, opening hours, its own
 * instructions), this customer's vehicles and work orders, and the recent
 * messages of the customer's one conversation across every channel, each
 * line tagged with its channel exactly as the spec shows —
 * `[WhatsApp] Customer: yes`, `[SMS] Customer: yes`, `[Portal] …` — and
 * calls as their transcript summary (spec: portal-messaging-fallback.txt
 * "Cross-channel context", whatsapp-24-hour-window.txt "the AI's context
 * builder includes recent messages from all channels").
 *
 * Pure: the caller (src/ai/load-context.ts) reads one conversation and one
 * customer; nothing else can reach the prompt. Staff notes and system
 * entries (direction 'internal') are never shown to the model, and portal
 * magic links (which sign the customer in) are replaced by `[portal link]`.
 *
 * Token budget: the history is cut to `tokenBudget` tokens, oldest lines
 * dropped first; the latest line (the customer message being answered) is
 * always kept, shortened to the budget if it alone is longer. Tokens are counted with gpt-tokenizer
 * (OpenAI's o200k encoding), per line including its newline — exact for
 * OpenAI models and a close estimate for Llama-family tokenizers.
 */
import { countTokens, decode, encode } from 'gpt-tokenizer';
import type { EntryChannel } from '../db/schema.js';
import { minutesSeconds, type CallOutcome } from './message-preview.js';

export type HistoryEntry = {
  channel: EntryChannel;
  direction: 'inbound' | 'outbound' | 'internal';
  /** Outbound only: written by the AI (`ai_generated`), else by staff or the system. */
  aiGenerated: boolean;
  body: string;
  /** Voice entries: the call's outcome, duration and transcript summary, when known. */
  call?: { outcome: CallOutcome; durationSeconds: number; summary: string | null } | null;
  occurredAt: Date;
};

export type AiContextInput = {
  garage: { name: string; openingHours: string; instructions: string };
  /** null for a sender who matches no customer. */
  customer: { name: string } | null;
  vehicles: { registration: string; make: string | null; model: string | null }[];
  workOrders: { number: string; title: string; status: string; vehicleRegistration: string | null }[];
  /** The conversation's entries, oldest first. */
  history: HistoryEntry[];
  /** Tokens the history may use. */
  tokenBudget: number;
  now: Date;
};

export type AiPrompt = {
  /** Instructions, garage facts and this customer's records. */
  system: string;
  /** The tagged history lines, oldest first, within the budget. */
  lines: string[];
  /** History lines left out by the budget. */
  dropped: number;
  /** Tokens of `lines` (as counted for the budget). */
  historyTokens: number;
};

const CHANNEL_TAGS: Record<EntryChannel, string> = {
  whatsapp: 'WhatsApp', sms: 'SMS', portal: 'Portal', voice: 'Call', email: 'Email', internal: 'Internal',
};

/** One history entry as a prompt line, or null when the model must not see it (internal entries, empty bodies). */
export function historyLine(entry: HistoryEntry): string | null {
  if (entry.direction === 'internal' || entry.channel === 'internal') return null;
  const tag = `[${CHANNEL_TAGS[entry.channel]}]`;
  if (entry.channel === 'voice') {
    const call = entry.call;
    if (!call) return `${tag} Call`;
    if (call.outcome === 'missed') return `${tag} Missed call from the customer`;
    const what = call.outcome === 'voicemail' ? `Voicemail (${minutesSeconds(call.durationSeconds)})` : `Call (${minutesSeconds(call.durationSeconds)})`;
    return `${tag} ${what}${call.summary?.trim() ? `: ${oneLine(call.summary)}` : ''}`;
  }
  const text = oneLine(entry.body);
  if (!text) return null;
  const who = entry.direction === 'inbound' ? 'Customer' : entry.aiGenerated ? 'Receptionist (AI)' : 'Garage';
  return `${tag} ${who}: ${text}`;
}

/** Portal magic links sign the customer in: they never go to a model (`…/l/` + a code of 8 or more characters, src/sending/portal-links.ts). */
const MAGIC_LINK = /\b\S+\/l\/[A-Za-z0-9]{8,}\b/g;

function oneLine(text: string): string {
  return text.replace(MAGIC_LINK, '[portal link]').replace(/\s+/g, ' ').trim();
}

function lineTokens(line: string): number {
  return countTokens(`${line}\n`);
}

/** `line` cut to at most `budget` tokens (whole tokens, decoded back to text). */
function shorten(line: string, budget: number): string {
  const tokens = encode(line);
  return tokens.length <= budget ? line : decode(tokens.slice(0, Math.max(1, budget - 1)));
}

function garageFacts(input: AiContextInput): string {
  const { garage, customer, vehicles, workOrders } = input;
  const parts = [
    `You are the receptionist of ${garage.name}, a car repair garage, answering its customers by message.`,
    'Be brief, friendly and factual (UK English, at most three sentences). Never invent prices, dates or availability you were not given; never promise a booking time — say a member of the team will confirm.',
    'Hand the conversation to staff (action "handoff") when the customer asks for a person, when they complain, or when you are unsure. Use "classify_only" when no reply is needed (e.g. "thanks", "ok").',
    `Opening hours: ${garage.openingHours.trim() || 'not given — do not state any'}.`,
  ];
  if (garage.instructions.trim()) parts.push(`The garage's own instructions: ${garage.instructions.trim()}`);
  parts.push(customer ? `The customer: ${customer.name}.` : 'The sender does not match any customer on file.');
  if (vehicles.length) parts.push(`Their vehicles: ${vehicles.map((v) => [v.registration, [v.make, v.model].filter(Boolean).join(' ')].filter(Boolean).join(' ')).join('; ')}.`);
  if (workOrders.length) parts.push(`Their work orders: ${workOrders.map((w) => `${w.number} ${w.title} (${w.status.replace(/_/g, ' ')}${w.vehicleRegistration ? `, ${w.vehicleRegistration}` : ''})`).join('; ')}.`);
  parts.push(`Now: ${input.now.toISOString()}. Lines are tagged with the channel they came on ([WhatsApp], [SMS], [Portal], [Call], [Email]); reply to the latest customer message.`);
  return parts.join('\n');
}

/**
 * Build the prompt for one conversation.
 * @throws RangeError when tokenBudget is not a positive integer
 */
export function buildAiContext(input: AiContextInput): AiPrompt {
  if (!Number.isInteger(input.tokenBudget) || input.tokenBudget < 1) throw new RangeError('tokenBudget must be a positive integer');
  const all = input.history.map(historyLine).filter((l): l is string => l !== null);
  const kept: string[] = [];
  let used = 0;
  for (let i = all.length - 1; i >= 0; i--) {
    const line = all[i]!;
    const cost = lineTokens(line);
    if (used + cost > input.tokenBudget) {
      if (kept.length === 0) {
        const short = shorten(line, input.tokenBudget - 1);
        kept.unshift(short);
        used += lineTokens(short);
      }
      break;
    }
    kept.unshift(line);
    used += cost;
  }
  return { system: garageFacts(input), lines: kept, dropped: all.length - kept.length, historyTokens: used };
}
