/**
 * Message templates with named placeholders such as `{customer_name}` or
 * `{appointment_time}` (spec: whatsapp-24-hour-window.txt "Send a template
 * message": "Some templates have placeholders … that you fill in before
 * sending").
 *
 * A placeholder is `{` + a name matching `/^[a-z][a-z0-9_]*$/` + `}`. Any
 * other brace is literal text: `{Name}`, `{ name }`, `{}`, `{1}`, a lone `{`.
 * There is no escape syntax; in `{{customer_name}}` the inner
 * `{customer_name}` is a placeholder and the outer braces stay literal.
 * Rendering is a single pass: a value containing `{other}` is not expanded.
 */

const PLACEHOLDER = /\{([a-z][a-z0-9_]*)\}/g;

/**
 * The placeholder names in `body`, each once, in order of first appearance.
 * Spec: whatsapp-24-hour-window.txt (template placeholders).
 */
export function templatePlaceholders(body: string): string[] {
  return [...new Set(Array.from(body.matchAll(PLACEHOLDER), (m) => m[1]!))];
}

export type RenderedTemplate = {
  ok: true;
  /** The body with every placeholder replaced by its value, verbatim. */
  text: string;
  /** One entry per placeholder, in first-appearance order: the named parameters to send to the provider. */
  ordered: Array<{ name: string; value: string }>;
};

export type TemplateRenderError = {
  ok: false;
  /** Placeholders with no string value in `params`, in first-appearance order. */
  missing: string[];
  /** Keys of `params` that are not placeholders of the body, in `params` order. */
  extra: string[];
  /** Placeholders whose value is empty or only whitespace, in first-appearance order. */
  empty: string[];
};

/**
 * Fill a template's placeholders. Every placeholder needs a value that is not
 * blank (whitespace only counts as blank); `params` may not carry keys the
 * body does not use. Values are inserted as given (not trimmed). All three
 * problems are reported together. Does not throw.
 * Spec: whatsapp-24-hour-window.txt (template placeholders).
 */
export function renderTemplate(body: string, params: Record<string, string>): RenderedTemplate | TemplateRenderError {
  const names = templatePlaceholders(body);
  const has = (name: string) => Object.hasOwn(params, name) && typeof params[name] === 'string';
  const missing = names.filter((name) => !has(name));
  const empty = names.filter((name) => has(name) && params[name]!.trim() === '');
  const extra = Object.keys(params).filter((key) => !names.includes(key));
  if (missing.length || empty.length || extra.length) return { ok: false, missing, extra, empty };
  return {
    ok: true,
    text: body.replace(PLACEHOLDER, (_match, name: string) => params[name]!),
    ordered: names.map((name) => ({ name, value: params[name]! })),
  };
}
