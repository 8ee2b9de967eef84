// The applications, and a form to create one.
import { field, h, input, section, table, textarea } from '../dom.js';
import { canCreateApps } from '../access.js';
import { form, link, type ViewContext } from '../ui.js';

export async function appsView(ctx: ViewContext): Promise<void> {
  const { api, main } = ctx;
  ctx.setTrail([{ label: 'Applications', href: '#/' }]);
  const apps = (await api.listApps()).items ?? [];
  apps.sort((a, b) => (a.label || a.id || '').localeCompare(b.label || b.id || ''));

  const id = input({ name: 'id', placeholder: 'generated when empty', spellcheck: 'false' });
  const label = input({ name: 'label', required: true });
  const description = textarea({ name: 'description', rows: 2 });
  const create = form(
    { 'aria-label': 'Create an application' },
    [
      field('Label', label),
      field('Application ID', id, 'What update clients send as their appid; usually a UUID.'),
      field('Description', description),
    ],
    'Create application',
    async () => {
      const app = await api.createApp({ id: id.value.trim() || undefined, label: label.value.trim(), description: description.value.trim() });
      ctx.notify(`Created application ${app.label || app.id}.`);
      location.hash = link('apps', app.id!);
    },
  );

  main.append(
    h('h1', { tabindex: '-1' }, 'Applications'),
    table(
      'Applications',
      ['Application', 'ID', 'Description'],
      apps.map((a) => [h('a', { href: link('apps', a.id!) }, a.label || a.id!), h('code', null, a.id!), a.description ?? '']),
      { hideCaption: true, empty: canCreateApps(ctx.access) ? 'No applications yet: create one below.' : 'No applications yet.' },
    ),
  );
  if (canCreateApps(ctx.access)) main.append(section('Create an application', create));
}
