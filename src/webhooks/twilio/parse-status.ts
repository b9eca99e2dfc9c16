/**
 * Turns a Twilio message status callback (provider-protocols.md §3) into a
 * `DeliveryStatusEvent`, or null for statuses that are not about delivery.
 */
import type { DeliveryStatusEvent } from '../../ingest/apply-delivery-status.js';
import { fromTwilioStatus } from '../../domain/delivery-status.js';
import { providerFailureReason } from '../../domain/provider-failure.js';
import { AppError } from '../../server/errors.js';
import { param, type FormParams } from '../form-body.js';

const PRICE = /^-?\d+(\.\d+)?$/;

/** @throws AppError `malformed_payload` when MessageSid or MessageStatus is missing */
export function parseTwilioStatus(params: FormParams): DeliveryStatusEvent | null {
  const sid = param(params, 'MessageSid') ?? param(params, 'SmsSid');
  const providerStatus = param(params, 'MessageStatus') ?? param(params, 'SmsStatus');
  if (!sid) throw new AppError('malformed_payload', 'MessageSid is missing.');
  if (!providerStatus) throw new AppError('malformed_payload', 'MessageStatus is missing.');
  const status = fromTwilioStatus(providerStatus);
  if (!status) return null;
  const errorCode = param(params, 'ErrorCode') || null;
  const price = param(params, 'Price');
  const priceUnit = param(params, 'PriceUnit');
  const hasPrice = Boolean(price && PRICE.test(price) && priceUnit && /^[A-Z]{3}$/.test(priceUnit));
  return {
    provider: 'twilio',
    providerMessageId: sid,
    providerStatus,
    status,
    errorCode,
    failureReason: status === 'failed' ? providerFailureReason('twilio', errorCode) : null,
    providerErrorText: status === 'failed' ? param(params, 'ErrorMessage') || null : null,
    occurredAt: null,
    // Twilio reports prices as negative amounts charged ("-0.00750").
    cost: hasPrice ? price!.replace(/^-/, '') : null,
    costCurrency: hasPrice ? priceUnit! : null,
    pricing: null,
  };
}
