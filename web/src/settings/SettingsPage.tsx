/**
 * Settings (`/settings/…`): Communication, Channels, Voice and Spend
 * (settings.communication.manage), Quick Messages and Templates
 * (messages.tier.manage); a section the user cannot use is
 * not shown, and its address falls back to the first one they can.
 */
import type { ReactNode } from 'react';
import { CommunicationSettings } from './CommunicationSettings';
import { QuickMessagesSettings } from './QuickMessagesSettings';
import { TemplatesSettings } from './TemplatesSettings';
import { SpendSettings } from './SpendSettings';
import { ChannelsSettings } from './ChannelsSettings';
import { VoiceSettings } from './VoiceSettings';
import './settings.css';

export type SettingsSection = 'communication' | 'channels' | 'voice' | 'quick-messages' | 'templates' | 'spend';

type SectionDef = { id: SettingsSection; label: string; capability: string; render(): ReactNode };

const SECTIONS: SectionDef[] = [
  { id: 'communication', label: 'Communication', capability: 'settings.communication.manage', render: () => <CommunicationSettings /> },
  { id: 'channels', label: 'Channels', capability: 'settings.communication.manage', render: () => <ChannelsSettings /> },
  { id: 'voice', label: 'Voice', capability: 'settings.communication.manage', render: () => <VoiceSettings /> },
  { id: 'quick-messages', label: 'Quick Messages', capability: 'messages.tier.manage', render: () => <QuickMessagesSettings /> },
  { id: 'templates', label: 'Templates', capability: 'messages.tier.manage', render: () => <TemplatesSettings /> },
  { id: 'spend', label: 'Spend', capability: 'settings.communication.manage', render: () => <SpendSettings /> },
];

export const SETTINGS_BASE = '/settings';

/** Whether the user may open any settings section. */
export function canOpenSettings(capabilities: ReadonlySet<string>): boolean {
  return SECTIONS.some((s) => capabilities.has(s.capability));
}

export function SettingsPage({ pathname, capabilities, navigate }: { pathname: string; capabilities: ReadonlySet<string>; navigate(url: string): void }) {
  const visible = SECTIONS.filter((s) => capabilities.has(s.capability));
  const requested = pathname.slice(SETTINGS_BASE.length + 1).split('/')[0];
  const current = visible.find((s) => s.id === requested) ?? visible[0];
  if (!current) return <p className="error-box" role="alert">Your role cannot change settings. Ask an owner or manager.</p>;
  return (
    <div className="settings">
      <nav className="settings-nav" aria-label="Settings sections">
        <ul>
          {visible.map((s) => (
            <li key={s.id}>
              <a href={`${SETTINGS_BASE}/${s.id}`} aria-current={s.id === current.id ? 'page' : undefined}
                onClick={(e) => { if (e.button !== 0 || e.metaKey || e.ctrlKey) return; e.preventDefault(); navigate(`${SETTINGS_BASE}/${s.id}`); }}>{s.label}</a>
            </li>
          ))}
        </ul>
      </nav>
      <div className="settings-body">
        <h1 className="settings-title">Settings › {current.label}</h1>
        {current.render()}
      </div>
    </div>
  );
}
