// Sign in with a user and key (the same as the CLI's --user and --key). The
// pair is checked with a signed request before it is kept.
import { Api, ApiError, type Credentials } from '../api.js';
import { field, h, input } from '../dom.js';
import { form } from '../ui.js';

export interface SignInOptions {
  prefill?: Credentials;
  /** Sign in straight away (the link `serve` prints). */
  submit?: boolean;
  message?: string;
  onSignedIn(creds: Credentials, remember: boolean): void;
}

export async function signInView(root: HTMLElement, opts: SignInOptions): Promise<void> {
  const user = input({ name: 'user', autocomplete: 'username', required: true, value: opts.prefill?.user ?? 'admin', spellcheck: 'false' });
  const key = input({ name: 'key', type: 'password', autocomplete: 'current-password', required: true, value: opts.prefill?.key ?? '' });
  const remember = input({ type: 'checkbox', name: 'remember' });
  const f = form(
    { class: 'signin', 'aria-labelledby': 'signin-title' },
    [
      field('User', user),
      field('Key', key, 'The API key of this user. On its first start, serve prints the key of admin and a link that signs in.'),
      field('Remember me on this browser', remember),
    ],
    'Sign in',
    async () => {
      const creds = { user: user.value.trim(), key: key.value.trim() };
      try {
        await new Api(creds).listApps();
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) {
          throw new Error('That user and key were not accepted (or this computer’s clock is off by more than a minute).');
        }
        throw err;
      }
      opts.onSignedIn(creds, remember.checked);
    },
  );
  root.append(
    h(
      'main',
      { id: 'main', class: 'signin-page' },
      h(
        'div',
        { class: 'card' },
        h('div', { class: 'brand big' }, h('span', { class: 'logo', 'aria-hidden': 'true' }), 'Update service'),
        h('h1', { id: 'signin-title' }, 'Sign in'),
        opts.message ? h('p', { role: 'status' }, opts.message) : null,
        f,
      ),
    ),
  );
  if (opts.submit && opts.prefill) f.requestSubmit();
  else (opts.prefill?.user ? key : user).focus();
}
