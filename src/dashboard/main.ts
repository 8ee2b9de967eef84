// The dashboard: sign-in, then hash routes for apps, an app, a group and the
// group's graphs. Each view renders into <main> and stops its timers and
// charts when the route changes (ctx.signal).
import './style.css';
import { loadAccess, type Access } from './access.js';
import { Api, ApiError, type Credentials } from './api.js';
import { fill, h } from './dom.js';
import { showError, type ViewContext } from './ui.js';
import { clearCredentials, credentialsFromLink, loadCredentials, saveCredentials } from './session.js';
import { signInView } from './views/signin.js';
import { appsView } from './views/apps.js';
import { appView } from './views/app.js';
import { groupView } from './views/group.js';
import { graphsView } from './views/graphs.js';

type View = (ctx: ViewContext) => Promise<void>;

const ROUTES: [RegExp, View][] = [
  [/^#?\/?$/, appsView],
  [/^#\/apps\/([^/]+)\/?$/, appView],
  [/^#\/apps\/([^/]+)\/groups\/([^/]+)\/?$/, groupView],
  [/^#\/apps\/([^/]+)\/groups\/([^/]+)\/graphs\/?$/, graphsView],
];

const root = document.getElementById('app')!;
let current: AbortController | undefined;

function start(): void {
  const fromLink = credentialsFromLink(location.hash);
  if (fromLink) {
    // The key must not stay in the address bar or the history.
    history.replaceState(null, '', location.pathname + location.search + '#/');
    void showSignIn(fromLink, true);
    return;
  }
  const creds = loadCredentials();
  if (!creds) return void showSignIn();
  void run(new Api(creds));
}

async function showSignIn(prefill?: Credentials, submit = false, message?: string): Promise<void> {
  current?.abort();
  window.onhashchange = null;
  document.title = 'Sign in · Update service';
  fill(root);
  await signInView(root, {
    prefill,
    submit,
    message,
    onSignedIn: (creds, remember) => {
      saveCredentials(creds, remember);
      if (!ROUTES.some(([re]) => re.test(location.hash))) history.replaceState(null, '', '#/');
      void run(new Api(creds));
    },
  });
}

async function run(api: Api): Promise<void> {
  let access: Access;
  try {
    access = await loadAccess(api);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) clearCredentials();
    const message = err instanceof ApiError && err.status === 401 ? 'Your session is no longer valid: sign in again.' : `The service could not be reached: ${err instanceof Error ? err.message : String(err)}`;
    return void showSignIn(undefined, false, message);
  }
  const trail = h('ol');
  const status = h('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const main = h('main', { id: 'main', tabindex: '-1' });
  let statusTimer: ReturnType<typeof setTimeout> | undefined;
  fill(
    root,
    h(
      'a',
      {
        class: 'skip',
        href: '#main',
        onclick: (e: Event) => {
          e.preventDefault();
          main.focus();
        },
      },
      'Skip to content',
    ),
    h(
      'header',
      { class: 'top' },
      h('a', { class: 'brand', href: '#/' }, h('span', { class: 'logo', 'aria-hidden': 'true' }), 'Update service'),
      h('nav', { 'aria-label': 'Breadcrumb', class: 'trail' }, trail),
      h(
        'div',
        { class: 'who' },
        h('span', null, 'Signed in as ', h('strong', null, api.creds.user), access.role === 'admin' ? '' : [' ', h('span', { class: 'badge' }, roleLabel(access))]),
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            onclick: () => {
              clearCredentials();
              void showSignIn(undefined, false, 'Signed out.');
            },
          },
          'Sign out',
        ),
      ),
    ),
    main,
    status,
  );

  const render = async () => {
    current?.abort();
    const controller = (current = new AbortController());
    const route = ROUTES.map(([re, view]) => ({ m: re.exec(location.hash), view })).find((r) => r.m);
    fill(main);
    // A malformed escape in the address (`#/apps/%ZZ`) names no page either.
    const params = route && decodeParams(route.m!.slice(1));
    if (!route || !params) {
      fill(main, h('h1', { tabindex: '-1' }, 'Not found'), h('p', null, 'No such page. ', h('a', { href: '#/' }, 'See the applications.')));
      return;
    }
    const ctx: ViewContext = {
      api,
      access,
      main,
      params,
      signal: controller.signal,
      setTrail: (crumbs) => {
        document.title = [...crumbs].reverse().map((c) => c.label).concat('Update service').join(' · ');
        fill(
          trail,
          crumbs.map((c, i) =>
            h('li', null, c.href && i < crumbs.length - 1 ? h('a', { href: c.href }, c.label) : h('span', { 'aria-current': 'page' }, c.label)),
          ),
        );
      },
      notify: (message) => {
        clearTimeout(statusTimer);
        fill(status, message);
        statusTimer = setTimeout(() => fill(status), 6000);
      },
    };
    try {
      await route.view(ctx);
      if (!controller.signal.aborted) (main.querySelector<HTMLElement>('h1') ?? main).focus({ preventScroll: true });
    } catch (err) {
      if (controller.signal.aborted) return;
      if (err instanceof ApiError && err.status === 401) {
        clearCredentials();
        void showSignIn(undefined, false, 'Your session is no longer valid: sign in again.');
        return;
      }
      showError(main, err);
    }
  };
  window.onhashchange = () => void render();
  await render();
}

/** "viewer", "editor of 2 apps": shown beside the user's name. */
function roleLabel(access: Access): string {
  const n = access.apps?.length;
  return n ? `${access.role} of ${n} app${n === 1 ? '' : 's'}` : access.role;
}

/** The route's parts, percent-decoded; undefined when one is not valid percent-encoding. */
function decodeParams(parts: string[]): string[] | undefined {
  try {
    return parts.map((p) => decodeURIComponent(p));
  } catch {
    return undefined;
  }
}

start();
