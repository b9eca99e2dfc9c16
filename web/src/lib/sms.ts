/**
 * The SMS segment counter's numbers: the server's own rule
 * (src/domain/sms-segments.ts, Twilio's calculator). Loaded on first use, so
 * the inbox's first screen does not wait for its Unicode tables.
 */
import { useEffect, useState } from 'react';

export type SmsCount = { characters: number; segments: number; encoding: 'GSM-7' | 'UCS-2' };

type Rule = typeof import('../../../src/domain/sms-segments.js');
let loading: Promise<Rule> | null = null;

export function useSmsCount(text: string, enabled: boolean): SmsCount | null {
  const [rule, setRule] = useState<Rule | null>(null);
  useEffect(() => {
    if (!enabled || rule) return;
    let live = true;
    loading ??= import('../../../src/domain/sms-segments.js');
    loading.then((m) => { if (live) setRule(m); }, () => undefined);
    return () => { live = false; };
  }, [enabled, rule]);
  if (!enabled || !rule) return null;
  const { characters, segments, encoding } = rule.smsSegments(text);
  // The server bills an empty text as 1 segment; the counter shows 0 until something is typed.
  return { characters, segments: text ? segments : 0, encoding };
}
