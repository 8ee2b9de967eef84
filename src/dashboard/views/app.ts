// One application: its groups, channels and packages, with forms to create
// each and to promote a version on a channel.
import type * as T from '../../api/types.js';
import { compareVersions } from '../../server/versions.js';
import { field, fill, h, input, section, select, table, textarea } from '../dom.js';
import { bytes, localTime } from '../format.js';
import { canChange } from '../access.js';
import { errorLine, form, link, type ViewContext } from '../ui.js';

export async function appView(ctx: ViewContext): Promise<void> {
  const { api, main } = ctx;
  const appId = ctx.params[0]!;
  const body = h('div');
  const load = async () => {
    const [app, groups, channels, packages, versions] = await Promise.all([
      api.getApp(appId),
      api.listGroups(appId),
      api.listChannels(appId),
      api.listPackages(appId),
      api.appVersions({ appId }),
    ]);
    ctx.setTrail([
      { label: 'Applications', href: '#/' },
      { label: app.label || appId, href: link('apps', appId) },
    ]);
    fill(
      body,
      h('h1', { tabindex: '-1' }, app.label || appId),
      h('p', { class: 'meta' }, 'ID ', h('code', null, appId), app.description ? ` · ${app.description}` : ''),
      groupsSection(ctx, appId, groups.items ?? [], channels.items ?? [], versions.items ?? [], load),
      channelsSection(ctx, appId, channels.items ?? [], packages.items ?? [], load),
      packagesSection(ctx, appId, packages.items ?? [], load),
    );
  };
  await load();
  main.append(body);
}

/** "1.1.0 ×7, 1.0.0 ×3" */
export function versionMix(items: T.AppVersionItem[]): string {
  const sorted = [...items].sort((a, b) => compareVersions(b.version ?? '', a.version ?? ''));
  return sorted.map((v) => `${v.version} ×${v.count}`).join(', ');
}

function groupsSection(ctx: ViewContext, appId: string, groups: T.Group[], channels: T.AppChannel[], versions: T.AppVersionItem[], reload: () => Promise<void>) {
  const label = input({ name: 'label', required: true });
  const id = input({ name: 'id', placeholder: 'generated when empty', spellcheck: 'false' });
  const channel = select([{ value: '', label: '(none)' }, ...channels.map((c) => ({ value: c.label!, label: `${c.label} (${c.version})` }))], channels[0]?.label ?? '', {
    name: 'channel',
  });
  const create = form(
    { 'aria-label': 'Create a group' },
    [field('Label', label), field('Group ID', id, 'What update clients send as their track; also the --group-id of the CLI.'), field('Channel', channel)],
    'Create group',
    async () => {
      const g = await ctx.api.createGroup(appId, { id: id.value.trim() || undefined, label: label.value.trim(), channelId: channel.value });
      ctx.notify(`Created group ${g.label || g.id}.`);
      await reload();
    },
  );
  const rows = groups.map((g) => {
    const mine = versions.filter((v) => v.groupId === g.id);
    const total = mine.reduce((n, v) => n + (v.count ?? 0), 0);
    const limit = g.updateCount ? `${g.updateCount} per ${g.updateInterval} s` : 'none';
    return [
      h('a', { href: link('apps', appId, 'groups', g.id!) }, g.label || g.id!),
      h('code', null, g.id!),
      g.channelId || '(none)',
      total ? `${total}: ${versionMix(mine)}` : '0',
      g.updatesPaused ? h('span', { class: 'badge warn' }, 'paused') : 'on',
      limit,
      `${g.updatePercent ?? 0} %`,
      g.rolloutActive ? h('span', { class: 'badge live' }, 'active') : 'off',
      h('a', { href: link('apps', appId, 'groups', g.id!, 'graphs'), 'aria-label': `Graphs of group ${g.label || g.id}` }, 'Graphs'),
    ];
  });
  return section(
    'Groups',
    table('Groups', ['Group', 'ID', 'Channel', 'Instances', 'Updates', 'Rate limit', 'Percent', 'Rollout', ''], rows, {
      hideCaption: true,
      empty: 'No groups yet.',
    }),
    canChange(ctx.access, appId) ? h('details', { class: 'create' }, h('summary', null, 'Create a group'), create) : null,
  );
}

function channelsSection(ctx: ViewContext, appId: string, channels: T.AppChannel[], packages: T.Package[], reload: () => Promise<void>) {
  const editable = canChange(ctx.access, appId);
  const known = packages.map((p) => p.version!).sort((a, b) => compareVersions(b, a));
  const listId = `versions-${Math.random().toString(36).slice(2)}`;
  const datalist = h('datalist', { id: listId }, ...known.map((v) => h('option', { value: v })));

  const rows = channels.map((c) => {
    const versions = [...new Set([...known, c.version!])].sort((a, b) => compareVersions(b, a));
    const version = select(
      versions.map((v) => ({ value: v, label: known.includes(v) ? v : `${v} (no package)` })),
      c.version!,
      { 'aria-label': `Version of channel ${c.label}`, name: 'version' },
    );
    const publish = input({ type: 'checkbox', checked: !!c.publish, 'aria-label': `Publish channel ${c.label}`, name: 'publish' });
    const err = errorLine();
    const save = h('button', { type: 'submit', class: 'small' }, 'Save');
    const promote = h('form', { class: 'inline', 'aria-label': `Promote a version on channel ${c.label}` }, version, h('label', { class: 'inline-check' }, publish, 'published'), save, err.el);
    promote.addEventListener('submit', (e) => {
      e.preventDefault();
      err.clear();
      save.disabled = true;
      ctx.api
        .updateChannel(appId, c.label!, { version: version.value, publish: publish.checked, upstream: c.upstream || undefined })
        .then(async () => {
          ctx.notify(`Channel ${c.label} now serves ${version.value}.`);
          await reload();
        })
        .catch((e2: unknown) => err.show(e2))
        .finally(() => (save.disabled = false));
    });
    const cells = [c.label!, h('strong', null, c.version!), c.publish ? 'yes' : 'no', c.upstream || ''];
    return editable ? [...cells, promote] : cells;
  });

  const label = input({ name: 'label', required: true, spellcheck: 'false' });
  const version = input({ name: 'version', required: true, list: listId, placeholder: '1.0.0', spellcheck: 'false' });
  const publish = input({ type: 'checkbox', name: 'publish' });
  const create = form(
    { 'aria-label': 'Create a channel' },
    [field('Channel', label), field('Version', version), datalist, field('Publish', publish, 'Listed by public/channels, for mirrors and package download.')],
    'Create channel',
    async () => {
      await ctx.api.createChannel(appId, { label: label.value.trim(), version: version.value.trim(), publish: publish.checked });
      ctx.notify(`Created channel ${label.value.trim()}.`);
      await reload();
    },
  );
  return section(
    'Channels',
    h('p', { class: 'hint' }, 'Groups follow a channel; promoting a version on a channel offers it to every group on that channel.'),
    table('Channels', ['Channel', 'Version', 'Published', 'Upstream', ...(editable ? ['Promote'] : [])], rows, { hideCaption: true, empty: 'No channels yet.' }),
    editable ? h('details', { class: 'create' }, h('summary', null, 'Create a channel'), create) : null,
  );
}

function packagesSection(ctx: ViewContext, appId: string, packages: T.Package[], reload: () => Promise<void>) {
  const rows = packages.map((p) => [
    p.version!,
    /^https?:\/\//i.test(p.url ?? '') ? h('a', { href: p.url, rel: 'noreferrer', class: 'url' }, p.url) : (p.url ?? ''),
    bytes(Number(p.size ?? 0)),
    p.sha256Sum ? h('code', { title: p.sha256Sum }, `${p.sha256Sum.slice(0, 12)}…`) : '',
    p.required ? 'yes' : '',
    p.dateCreated ? localTime(new Date(p.dateCreated)) : '',
  ]);
  const version = input({ name: 'version', required: true, placeholder: '1.1.0', spellcheck: 'false' });
  const url = input({ name: 'url', type: 'url', required: true, placeholder: 'https://example.com/update-1.1.0.gz' });
  const size = input({ name: 'size', type: 'number', min: '0', inputmode: 'numeric' });
  const sha1 = input({ name: 'sha1Sum', spellcheck: 'false' });
  const sha256 = input({ name: 'sha256Sum', spellcheck: 'false' });
  const notes = textarea({ name: 'releaseNotes', rows: 2 });
  const required = input({ type: 'checkbox', name: 'required' });
  const create = form(
    { 'aria-label': 'Add a package', class: 'grid' },
    [
      field('Version', version),
      field('URL', url, 'Where instances download the payload.'),
      field('Size in bytes', size),
      field('SHA-1 (base64)', sha1, 'updateservicectl package create --file computes size and sums for you.'),
      field('SHA-256 (base64)', sha256),
      field('Release notes', notes),
      field('Required', required),
    ],
    'Add package',
    async () => {
      await ctx.api.createPackage(appId, {
        version: version.value.trim(),
        url: url.value.trim(),
        size: size.value ? String(size.value) : undefined,
        sha1Sum: sha1.value.trim() || undefined,
        sha256Sum: sha256.value.trim() || undefined,
        releaseNotes: notes.value.trim() || undefined,
        required: required.checked,
      });
      ctx.notify(`Added package ${version.value.trim()}.`);
      await reload();
    },
  );
  return section(
    'Packages',
    table('Packages', ['Version', 'URL', 'Size', 'SHA-256', 'Required', 'Created'], rows, { hideCaption: true, empty: 'No packages yet.' }),
    canChange(ctx.access, appId) ? h('details', { class: 'create' }, h('summary', null, 'Add a package'), create) : null,
  );
}
