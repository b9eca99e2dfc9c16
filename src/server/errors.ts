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
  not_found: 404,
  unknown_destination: 404,
  unsupported_media_type: 415,
  conflict: 409,
  not_retryable: 409,
  already_decided: 409,
  channel_unavailable: 422,
  provider_rejected: 502,
  window_closed: 422,
  template_not_found: 422,
  template_not_approved: 422,
  template_params_invalid: 422,
  whatsapp_consent_revoked: 422,
  sms_opted_out: 422,
  marketing_not_opted_in: 422,
  service_reminders_revoked: 422,
  transactional_revoked: 422,
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof STATUS;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.statusCode = STATUS[code];
  }
}

/** The JSON body for an error response. */
export function errorBody(code: ErrorCode, message: string): { error: { code: ErrorCode; message: string } } {
  return { error: { code, message } };
}
