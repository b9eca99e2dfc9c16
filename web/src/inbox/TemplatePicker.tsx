/** The WhatsApp template picker for an expired window: choose an approved template, fill its placeholders. */
import type { Template } from '../api/types';

type Props = {
  templates: Template[];
  selected: string;
  /** Whether the user may create templates (messages.tier.manage): the empty state links to Settings or says who can. */
  canManage: boolean;
  params: Record<string, string>;
  onSelect(name: string): void;
  onParam(name: string, value: string): void;
};

const label = (placeholder: string) => placeholder.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());

function renderTemplate(body: string, params: Record<string, string>): string {
  return body.replace(/\{(\w+)\}/g, (whole, name: string) => params[name] || whole);
}

export function TemplatePicker({ templates, selected, canManage, params, onSelect, onParam }: Props) {
  const template = templates.find((t) => t.name === selected) ?? null;
  if (templates.length === 0) {
    return canManage
      ? <p className="muted">No approved WhatsApp templates yet. <a href="/settings/templates">Create one under Settings › Communication › Templates</a>; Meta must approve it before it appears here.</p>
      : <p className="muted">No approved WhatsApp templates yet. Creating templates needs the messages.tier.manage capability: ask an owner or manager to add them under Settings › Communication › Templates.</p>;
  }
  return (
    <div className="template-picker">
      <label className="field">
        <span>Template</span>
        <select value={selected} onChange={(e) => onSelect(e.target.value)}>
          <option value="">Choose a template…</option>
          {templates.map((t) => <option key={`${t.name}:${t.language}`} value={t.name}>{t.name.replace(/_/g, ' ')}</option>)}
        </select>
      </label>
      {template ? (
        <>
          {template.placeholders.length ? (
            <div className="template-fields">
              {template.placeholders.map((ph) => (
                <label key={ph} className="field">
                  <span>{label(ph)}</span>
                  <input type="text" value={params[ph] ?? ''} onChange={(e) => onParam(ph, e.target.value)} required />
                </label>
              ))}
            </div>
          ) : null}
          <p className="template-preview" aria-label="Template preview">{renderTemplate(template.body, params)}</p>
        </>
      ) : null}
    </div>
  );
}
