/**
 * Submit a message template for Meta's review through the WhatsApp Business
 * Management API: `POST {baseUrl}/{apiVersion}/{wabaId}/message_templates`
 * with named parameters (provider-protocols.md §8 "Template management").
 */
import { ProviderError } from '../contract.js';
import { isRecord } from '../http-call.js';
import { graphGet, graphPost, graphUrl } from './graph-request.js';

export type WhatsAppTemplateConfig = {
  baseUrl: string;
  apiVersion: string;
  /** WhatsApp Business Account id. */
  wabaId: string;
  accessToken: string;
  /** Budget of the call in milliseconds. */
  timeoutMs: number;
};

export type TemplateCategory = 'UTILITY' | 'MARKETING' | 'AUTHENTICATION';

export type TemplateSubmission = {
  /** Lowercase letters, digits and underscores (Meta's rule; Meta rejects others). */
  name: string;
  /** Meta language code, e.g. `en_GB`. */
  language: string;
  category: TemplateCategory;
  /** Body text with `{named}` placeholders, e.g. `Hi {customer_name}, your car is ready.` */
  body: string;
  /** One example value per placeholder name (Meta requires examples for review). */
  examples: Record<string, string>;
};

export type TemplateReviewStatus = 'pending' | 'approved' | 'rejected' | 'paused';

export type SubmittedTemplate = { providerTemplateId: string; status: TemplateReviewStatus };

/**
 * Create a template with `parameter_format: "NAMED"`: `{x}` placeholders
 * become `{{x}}` and each gets a `body_text_named_params` example, in order
 * of first appearance. Returned statuses map PENDING/APPROVED/REJECTED/PAUSED
 * to ours; DISABLED → `rejected`; anything else (IN_APPEAL, …) → `pending`.
 * @throws ProviderError `permanent` (no request sent) when a placeholder has no example value
 * @throws ProviderError classified as for sends (`graph-errors.ts`) when Meta refuses; `retryable` on network errors and timeouts
 */
export async function submitWhatsAppTemplate(config: WhatsAppTemplateConfig, template: TemplateSubmission): Promise<SubmittedTemplate> {
  const json = await graphPost({
    url: graphUrl(config.baseUrl, config.apiVersion, config.wabaId, 'message_templates'),
    accessToken: config.accessToken,
    body: templateCreationBody(template),
    timeoutMs: config.timeoutMs,
  });
  if (!isRecord(json) || (typeof json.id !== 'string' && typeof json.id !== 'number')) {
    throw new ProviderError('permanent', 'WhatsApp accepted the template but returned no template id');
  }
  return { providerTemplateId: String(json.id), status: reviewStatus(json.status) };
}

/**
 * The Graph request body for a named-parameter template.
 * @throws ProviderError `permanent` when a placeholder has no example value
 */
export function templateCreationBody(template: TemplateSubmission): Record<string, unknown> {
  const text = template.body.replace(/(?<!\{)\{(\w+)\}(?!\})/g, '{{$1}}');
  const names = [...new Set([...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!))];
  const missing = names.filter((n) => template.examples[n] === undefined);
  if (missing.length > 0) {
    throw new ProviderError('permanent', `Template "${template.name}" needs an example value for: ${missing.join(', ')}`);
  }
  const bodyComponent: Record<string, unknown> = { type: 'BODY', text };
  if (names.length > 0) {
    bodyComponent.example = {
      body_text_named_params: names.map((n) => ({ param_name: n, example: template.examples[n]! })),
    };
  }
  return {
    name: template.name,
    language: template.language,
    category: template.category,
    parameter_format: 'NAMED',
    components: [bodyComponent],
  };
}

function reviewStatus(status: unknown): TemplateReviewStatus {
  switch (status) {
    case 'APPROVED':
      return 'approved';
    case 'REJECTED':
    case 'DISABLED':
      return 'rejected';
    case 'PAUSED':
      return 'paused';
    default:
      return 'pending';
  }
}

/** One template as Meta lists it: its id, name, language, Meta status word (APPROVED, REJECTED, …) and rejection reason. */
export type ListedTemplate = { providerTemplateId: string; name: string; language: string; status: string; rejectedReason: string | null };

/**
 * The business account's templates with their review status
 * (`GET {wabaId}/message_templates?fields=…`, first 250), for syncing on demand.
 * @throws ProviderError as for submission
 */
export async function listWhatsAppTemplates(config: WhatsAppTemplateConfig): Promise<ListedTemplate[]> {
  const json = await graphGet({
    url: `${graphUrl(config.baseUrl, config.apiVersion, config.wabaId, 'message_templates')}?fields=id,name,language,status,rejected_reason&limit=250`,
    accessToken: config.accessToken,
    timeoutMs: config.timeoutMs,
  });
  const data = isRecord(json) && Array.isArray(json.data) ? json.data : [];
  return data.filter(isRecord).map((t) => ({
    providerTemplateId: String(t.id ?? ''),
    name: String(t.name ?? ''),
    language: String(t.language ?? ''),
    status: String(t.status ?? ''),
    rejectedReason: typeof t.rejected_reason === 'string' ? t.rejected_reason : null,
  })).filter((t) => t.providerTemplateId && t.name);
}
