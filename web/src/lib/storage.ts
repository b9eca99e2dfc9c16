/** What the inbox remembers in this browser (localStorage) and this session (sessionStorage). */

const KEYS = {
  preset: 'tf.inbox.rangePreset',
  custom: 'tf.inbox.customRange',
  bannerDismissed: 'tf.inbox.defaultRangeBannerDismissed',
  proceeded: 'tf.composer.portalProceeded.',
} as const;

function read(store: Storage, key: string): string | null {
  try {
    return store.getItem(key);
  } catch {
    return null;
  }
}
function write(store: Storage, key: string, value: string): void {
  try {
    store.setItem(key, value);
  } catch {
    // Private mode or full storage: nothing to remember.
  }
}

export const remembered = {
  preset: () => read(localStorage, KEYS.preset),
  setPreset: (preset: string) => write(localStorage, KEYS.preset, preset),
  custom(): { start: string; end: string } | null {
    try {
      const v = JSON.parse(read(localStorage, KEYS.custom) ?? 'null') as { start?: unknown; end?: unknown } | null;
      return v && typeof v.start === 'string' && typeof v.end === 'string' ? { start: v.start, end: v.end } : null;
    } catch {
      return null;
    }
  },
  setCustom: (start: string, end: string) => write(localStorage, KEYS.custom, JSON.stringify({ start, end })),
  bannerDismissed: () => read(localStorage, KEYS.bannerDismissed) === '1',
  dismissBanner: () => write(localStorage, KEYS.bannerDismissed, '1'),
  /** "Proceed anyway" on the portal banner lasts for the browser session, per customer. */
  proceeded: (customerId: string) => read(sessionStorage, KEYS.proceeded + customerId) === '1',
  proceed: (customerId: string) => write(sessionStorage, KEYS.proceeded + customerId, '1'),
};
