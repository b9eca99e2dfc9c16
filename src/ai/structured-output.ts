/**
 * The model's structured answer `{reply, action, category, handoffReason?}`
 * and a tolerant reader for what models really return: strict JSON, JSON in
 * a ```json fence or surrounded by prose (servers without a JSON mode), or
 * plain prose (taken as the reply itself).
 */
import { z } from 'zod';

export const AI_ACTIONS = ['reply', 'handoff', 'classify_only'] as const;
export const AI_CATEGORIES = ['general', 'booking', 'unknown'] as const;
/** Why the AI hands a conversation to staff (AI Analytics "handoffs by reason"). */
export const HANDOFF_REASONS = ['customer_asked', 'unsure', 'complaint', 'ai_error'] as const;
export type HandoffReason = (typeof HANDOFF_REASONS)[number];

const answerSchema = z.object({
  reply: z.string().max(2000).default(''),
  action: z.enum(AI_ACTIONS),
  category: z.enum(AI_CATEGORIES).nullable().catch(null).default(null),
  handoffReason: z.enum(HANDOFF_REASONS).nullable().catch('unsure').default(null),
});

export type AiAnswer = {
  reply: string;
  action: (typeof AI_ACTIONS)[number];
  category: (typeof AI_CATEGORIES)[number] | null;
  handoffReason: HandoffReason | null;
};

/** The JSON shape the model is asked for, spelled out for the system prompt. */
export const ANSWER_FORMAT = '{"reply": string, "action": "reply" | "handoff" | "classify_only", "category": "general" | "booking" | "unknown", "handoffReason": "customer_asked" | "unsure" | "complaint" | null}';

/** The first balanced {...} in `text`, honouring strings; null when there is none. */
function firstJsonObject(text: string): string | null {
  const start = text.indexOf('{');
  if (start < 0) return null;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  return null;
}

/**
 * Read a model's message content.
 * - valid JSON matching the shape (possibly fenced or inside prose) → that answer
 *   (`handoff` without a reason → `unsure`; an empty reply with action `reply` → handoff `unsure`);
 * - text that tries to be JSON but is malformed or off-shape → handoff `unsure`
 *   (never send a broken object to a customer);
 * - plain prose → a reply with that text, no category.
 */
export function readAnswer(content: string): AiAnswer {
  const text = content.trim();
  const candidate = firstJsonObject(text);
  const looksLikeJson = text.startsWith('{') || text.startsWith('```') || candidate !== null;
  if (!looksLikeJson) {
    return text ? { reply: text.slice(0, 2000), action: 'reply', category: null, handoffReason: null } : unsure();
  }
  if (!candidate) return unsure();
  let parsed: unknown;
  try {
    parsed = JSON.parse(candidate);
  } catch {
    return unsure();
  }
  const answer = answerSchema.safeParse(parsed);
  if (!answer.success) return unsure();
  const a = answer.data;
  if (a.action === 'handoff') return { ...a, reply: a.reply.trim(), handoffReason: a.handoffReason ?? 'unsure' };
  if (a.action === 'reply' && !a.reply.trim()) return { ...unsure(), category: a.category };
  return { ...a, reply: a.reply.trim(), handoffReason: null };
}

function unsure(): AiAnswer {
  return { reply: '', action: 'handoff', category: null, handoffReason: 'unsure' };
}
