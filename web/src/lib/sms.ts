/**
 * The SMS segment counter's numbers, from Twilio's own calculator (the
 * server uses the same package). Loaded on first use, so the inbox's first
 * screen does not wait for its Unicode tables.
 */
import { useEffect, useState } from 'react';

export type SmsCount = { characters: number; segments: number; encoding: 'GSM-7' | 'UCS-2' };

type Calculator = typeof import('sms-segments-calculator');
let loading: Promise<Calculator> | null = null;

export function useSmsCount(text: string, enabled: boolean): SmsCount | null {
  const [calc, setCalc] = useState<Calculator | null>(null);
  useEffect(() => {
    if (!enabled || calc) return;
    let live = true;
    loading ??= import('sms-segments-calculator');
    loading.then((m) => { if (live) setCalc(m); }, () => undefined);
    return () => { live = false; };
  }, [enabled, calc]);
  if (!enabled || !calc) return null;
  const m = new calc.SegmentedMessage(text, 'auto', false);
  return { characters: m.graphemes.length, segments: text ? m.segmentsCount : 0, encoding: m.encodingName };
}
