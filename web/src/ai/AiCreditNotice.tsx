/** The inbox's notice while the garage's AI credit is exhausted (the AI only sends a short canned reply, or nothing outside the WhatsApp window). */
import { useEffect, useState } from 'react';
import { request } from '../api/client';

type AiStatus = { enabled: boolean; creditExhausted: boolean; creditsLeft: number };

export function AiCreditNotice() {
  const [status, setStatus] = useState<AiStatus | null>(null);
  useEffect(() => {
    const ctl = new AbortController();
    request<AiStatus>('GET', '/v1/ai/status', undefined, ctl.signal).then(setStatus, () => {});
    return () => ctl.abort();
  }, []);
  if (!status?.enabled || !status.creditExhausted) return null;
  return (
    <p className="ai-notice" role="status">
      AI credit exhausted: the AI receptionist only sends a short holding reply, and nothing when the WhatsApp window has closed. New messages wait in the inbox for staff. Top up credits to resume AI replies.
    </p>
  );
}
