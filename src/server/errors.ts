/**
 * One error vocabulary: every failure the API reports has a stable
 * machine-readable code, an HTTP status from one table, and a human message.
 * Responses look like `{"error":{"code":"invalid_signature","message":"…"}}`.
 */
const STATUS = {
  validation_failed: 400,
  malformed_payload: 400,
  invalid_signature: 403,
  unauthorized: 401,
  invalid_credentials: 401,
  too_many_attempts: 429,
  invalid_reset_token: 400,
  forbidden: 403,
  capability_not_held: 403,
  cross_origin_request: 403,
  not_found: 404,
  unknown_destination: 404,
  unsupported_media_type: 415,
  media_too_large: 413,
  image_type_not_accepted: 415,
  heic_not_supported: 415,
  image_unreadable: 422,
  payload_too_large: 413,
  attachments_not_supported: 422,
  too_many_attachments: 422,
  attachment_too_large: 413,
  attachment_type_not_allowed: 415,
  attachment_not_found: 422,
  conflict: 409,
  duplicate_phone: 409,
  import_invalid: 400,
  not_retryable: 409,
  already_decided: 409,
  last_owner: 409,
  organisation_required: 409,
  channel_unavailable: 422,
  provider_rejected: 502,
  provider_credentials_rejected: 422,
  provider_check_failed: 422,
  provider_unreachable: 502,
  number_not_in_account: 422,
  service_not_in_account: 422,
  address_in_use: 409,
  window_closed: 422,
  sender_not_allowed: 422,
  template_not_found: 422,
  template_not_approved: 422,
  template_params_invalid: 422,
  whatsapp_consent_revoked: 422,
  sms_opted_out: 422,
  marketing_not_opted_in: 422,
  service_reminders_revoked: 422,
  transactional_revoked: 422,
  portal_signed_out: 401,
  preference_locked: 409,
  photo_refused: 422,
  verification_unavailable: 422,
  verification_not_found: 404,
  verification_not_pending: 409,
  verification_expired: 410,
  verification_locked: 429,
  verification_send_limit: 429,
  code_incorrect: 422,
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof STATUS;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  /** Machine-readable extras for the client (e.g. the existing customer's id on duplicate_phone). */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.details = details;
    this.name = 'AppError';
    this.code = code;
    this.statusCode = STATUS[code];
  }
}

/** The JSON body for an error response. */
export function errorBody(code: ErrorCode, message: string, details?: Record<string, unknown>): { error: { code: ErrorCode; message: string; details?: Record<string, unknown> } } {
  return { error: details ? { code, message, details } : { code, message } };
}
