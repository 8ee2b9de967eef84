// Who is signed in: user and key in sessionStorage (this tab, until it is
// closed), or in localStorage when "remember me" was ticked. The key is
// only ever used to compute MACs in this page; it is never sent.
import type { Credentials } from './api.js';

const KEY = 'updateservice.credentials';

export function loadCredentials(): Credentials | undefined {
  for (const store of [sessionStorage, localStorage]) {
    try {
      const c = JSON.parse(store.getItem(KEY) ?? 'null') as Credentials | null;
      if (c && typeof c.user === 'string' && typeof c.key === 'string') return c;
    } catch {
      // unreadable: ignore
    }
  }
  return undefined;
}

export function saveCredentials(c: Credentials, remember: boolean): void {
  clearCredentials();
  (remember ? localStorage : sessionStorage).setItem(KEY, JSON.stringify(c));
}

export function clearCredentials(): void {
  sessionStorage.removeItem(KEY);
  localStorage.removeItem(KEY);
}

/** `#sign-in?user=…&key=…`, the link `serve` prints on its first start. */
export function credentialsFromLink(hash: string): Credentials | undefined {
  const m = /^#\/?sign-in\?(.*)$/.exec(hash);
  if (!m) return undefined;
  const p = new URLSearchParams(m[1]);
  const user = p.get('user');
  const key = p.get('key');
  return user && key ? { user, key } : undefined;
}
