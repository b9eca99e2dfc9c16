/** Data fetched once per page load and shared (staff list, quick messages). */
import { useEffect, useState } from 'react';

const cache = new Map<string, Promise<unknown>>();

export function useOnce<T>(key: string, load: () => Promise<T>, fallback: T): T {
  const [value, setValue] = useState<T>(fallback);
  useEffect(() => {
    let live = true;
    if (!cache.has(key)) cache.set(key, load().catch(() => fallback));
    (cache.get(key) as Promise<T>).then((v) => { if (live) setValue(v); });
    return () => { live = false; };
  }, [key]);
  return value;
}
