/** Typed client for WhatsApp number verification (src/api/customers/whatsapp-verification.routes.ts). */
import { get, post } from './client';

export type Verification = {
  id: string; channel: 'whatsapp' | 'sms'; status: 'pending' | 'verified' | 'locked' | 'cancelled' | 'expired';
  attemptsLeft: number; sendsLeft: number; expiresAt: string; verifiedAt: string | null;
};

const path = (customerId: string, suffix = '') => `/v1/customers/${customerId}/whatsapp-verification${suffix}`;
export const fetchVerification = (customerId: string, signal?: AbortSignal) => get<Verification | null>(path(customerId), signal);
export const sendVerification = (customerId: string) => post<Verification>(path(customerId));
export const resendVerification = (customerId: string) => post<Verification>(path(customerId, '/resend'));
export const checkVerification = (customerId: string, code: string) => post<Verification>(path(customerId, '/check'), { code });
