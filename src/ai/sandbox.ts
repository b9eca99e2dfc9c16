/**
 * The sandbox model driver (`AI_PROVIDER=sandbox`, the default): a
 * deterministic local responder so `npm start` shows the whole AI flow with
 * no account. It reads only the latest customer line of the prompt:
 * - asks for a person, or complains → handoff (`customer_asked` / `complaint`);
 * - only thanks or an acknowledgement → classify_only;
 * - mentions a booking → a booking reply (category booking);
 * - anything else → a general acknowledgement.
 * Usage is counted with the same tokenizer as the context budget.
 */
import { countTokens } from 'gpt-tokenizer';
import type { AiPrompt } from '../domain/ai-context.js';
import { looksLikeBooking } from '../domain/inbound-routing.js';
import type { AiDriver, AiResult } from './driver.js';
import type { AiAnswer } from './structured-output.js';

const ASKS_FOR_PERSON = /\b(speak|talk)\s+to\s+(a|an|the|someone|somebody|a real)?\s*(person|human|someone|somebody|manager|mechanic|staff)\b|\b(real person|human|call me)\b/i;
const COMPLAINT = /\b(complain|complaint|unhappy|disgusted|terrible|awful|refund|not happy)\b/i;
const ACK_ONLY = /^(ok(ay)?|thanks?( you)?|cheers|ta|great|perfect|brilliant|lovely|👍)[\s.!]*$/i;

function latestCustomerText(prompt: AiPrompt): string {
  for (let i = prompt.lines.length - 1; i >= 0; i--) {
    const m = /^\[[^\]]+\] Customer: (.*)$/.exec(prompt.lines[i]!);
    if (m) return m[1]!;
  }
  return '';
}

function sandboxAnswer(prompt: AiPrompt): AiAnswer {
  const text = latestCustomerText(prompt);
  const garage = /receptionist of (.+?), a car repair garage/.exec(prompt.system)?.[1] ?? 'the garage';
  const hours = /Opening hours: (.+)\.$/m.exec(prompt.system)?.[1];
  const category = looksLikeBooking(text) ? 'booking' : 'general';
  if (COMPLAINT.test(text)) return { reply: "I'm sorry to hear that. I've passed this to the team and someone will get back to you shortly.", action: 'handoff', category, handoffReason: 'complaint' };
  if (ASKS_FOR_PERSON.test(text)) return { reply: "Of course — I've asked a member of the team to pick this up.", action: 'handoff', category, handoffReason: 'customer_asked' };
  if (ACK_ONLY.test(text.trim())) return { reply: '', action: 'classify_only', category: 'general', handoffReason: null };
  if (category === 'booking') {
    const open = hours && !hours.startsWith('not given') ? ` We're open ${hours}.` : '';
    return { reply: `Thanks for getting in touch with ${garage}! We'd be happy to book you in.${open} A member of the team will confirm a time with you shortly.`, action: 'reply', category, handoffReason: null };
  }
  return { reply: `Thanks for your message to ${garage}. A member of the team will get back to you shortly if anything needs doing.`, action: 'reply', category, handoffReason: null };
}

export function sandboxDriver(): AiDriver {
  return {
    name: 'sandbox',
    async answer(prompt): Promise<AiResult> {
      const answer = sandboxAnswer(prompt);
      return { ...answer, usage: { promptTokens: countTokens(prompt.system) + prompt.historyTokens, completionTokens: countTokens(answer.reply) } };
    },
  };
}
