// What the views share: their context, links, forms, polling, error display.
import type { Access } from './access.js';
import { ApiError, type Api } from './api.js';
import { fill, h, type Child } from './dom.js';

export interface Crumb {
  label: string;
  href?: string;
}

export interface ViewContext {
  api: Api;
  /** What the signed-in user may do: views leave out what it may not. */
  access: Access;
  main: HTMLElement;
  params: string[];
  signal: AbortSignal;
  /** Sets the document title and the breadcrumb trail. */
  setTrail(crumbs: Crumb[]): void;
  /** A short message in the status area ("Saved."). */
  notify(message: string): void;
}

/** `#/apps/<id>…` links: ids are encoded into one path segment each. */
export const link = (...segments: string[]) => '#/' + segments.map(encodeURIComponent).join('/');

export function showError(main: HTMLElement, err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  const notFound = err instanceof ApiError && err.status === 404;
  fill(
    main,
    h('h1', { tabindex: '-1' }, notFound ? 'Not found' : 'Something went wrong'),
    h('p', { role: 'alert', class: 'error' }, message),
    h('p', null, h('a', { href: '#/' }, 'Back to the applications')),
  );
}

/** An error line under a form: role=alert so it is read out. */
export function errorLine(): { el: HTMLElement; show(err: unknown): void; clear(): void } {
  const el = h('p', { class: 'error', role: 'alert', hidden: true });
  return {
    el,
    show(err) {
      el.hidden = false;
      fill(el, err instanceof Error ? err.message : String(err));
    },
    clear() {
      el.hidden = true;
      fill(el);
    },
  };
}

/** A form whose submit button is disabled while `action` runs; errors show under it. */
export function form(attrs: Record<string, unknown>, fields: Child[], submitLabel: string, action: () => Promise<void>): HTMLFormElement {
  const err = errorLine();
  const button = h('button', { type: 'submit' }, submitLabel);
  const f = h('form', { ...attrs, novalidate: false }, ...fields, h('div', { class: 'actions' }, button), err.el);
  f.addEventListener('submit', (e) => {
    e.preventDefault();
    err.clear();
    button.disabled = true;
    action()
      .catch((e2: unknown) => err.show(e2))
      .finally(() => {
        button.disabled = false;
      });
  });
  return f;
}

/** Runs `job` now and every `ms` while the view lives and the page is visible. */
export function every(signal: AbortSignal, ms: number, job: () => Promise<void>): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async () => {
    if (signal.aborted) return;
    if (document.visibilityState !== 'hidden') {
      try {
        await job();
      } catch {
        // the next tick tries again; the view shows its own errors
      }
    }
    if (!signal.aborted) timer = setTimeout(() => void tick(), ms);
  };
  signal.addEventListener('abort', () => clearTimeout(timer));
  timer = setTimeout(() => void tick(), ms);
}

