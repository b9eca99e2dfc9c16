/**
 * Build WhatsApp Cloud API `/messages` request bodies (provider-protocols.md
 * §8): free-form text, a template with named body parameters, or an image
 * (by `link`, which Meta fetches; the text becomes its caption: §11b).
 */
import type { OutboundRequest, TemplatePayload } from '../contract.js';

/** WhatsApp wants the international number as digits, no `+` (`+447700900123` → `447700900123`). */
export function toWhatsAppRecipient(e164: string): string {
  return e164.replace(/\D/g, '');
}

/** The JSON body for one send: a template when `request.template` is set, else text with link previews off. */
export function messageBody(request: OutboundRequest): Record<string, unknown> {
  const to = toWhatsAppRecipient(request.to);
  if (request.template) {
    return { messaging_product: 'whatsapp', to, type: 'template', template: templateObject(request.template) };
  }
  const image = request.media?.[0];
  if (image) {
    return {
      messaging_product: 'whatsapp', recipient_type: 'individual', to, type: 'image',
      image: { link: image.url, ...(request.body ? { caption: request.body } : {}) },
    };
  }
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to,
    type: 'text',
    text: { preview_url: false, body: request.body },
  };
}

/**
 * `components` is omitted when the template has no parameters. An
 * authentication template (`copyCode`) carries the code twice: the body's
 * positional parameter and the copy-code button's (`sub_type: "url"`, index 0).
 */
function templateObject(template: TemplatePayload): Record<string, unknown> {
  const object: Record<string, unknown> = { name: template.name, language: { code: template.language } };
  if (template.copyCode !== undefined) {
    const code = [{ type: 'text', text: template.copyCode }];
    object.components = [
      { type: 'body', parameters: code },
      { type: 'button', sub_type: 'url', index: '0', parameters: code },
    ];
    return object;
  }
  if (template.params.length > 0) {
    object.components = [
      {
        type: 'body',
        parameters: template.params.map((p) => ({ type: 'text', parameter_name: p.name, text: p.value })),
      },
    ];
  }
  return object;
}
