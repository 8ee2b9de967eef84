// One group: its settings (channel, pause, rate limit, percent, OEM
// blacklist), its rollout, and its instances, searchable.
import type * as T from '../../api/types.js';
import { field, fill, h, input, section, select, table } from '../dom.js';
import { ago, localTime, statusOf } from '../format.js';
import { canChange } from '../access.js';
import { every, form, link, type ViewContext } from '../ui.js';
import { versionMix } from './app.js';

const INSTANCE_LIMIT = 1000;

export async function groupView(ctx: ViewContext): Promise<void> {
  const { api, main } = ctx;
  const [appId, groupId] = ctx.params as [string, string];
  const [app, group, channels, rollout] = await Promise.all([
    api.getApp(appId),
    api.getGroup(appId, groupId),
    api.listChannels(appId),
    api.getRollout(appId, groupId),
  ]);
  const name = group.label || groupId;
  ctx.setTrail([
    { label: 'Applications', href: '#/' },
    { label: app.label || appId, href: link('apps', appId) },
    { label: name, href: link('apps', appId, 'groups', groupId) },
  ]);

  // Both the settings and the rollout change the group: they share it.
  const state = { group };
  const summary = h('p', { class: 'meta' });
  const showSummary = (g: T.Group) => {
    state.group = g;
    fill(
      summary,
      'ID ',
      h('code', null, groupId),
      ` · channel ${g.channelId || '(none)'} · `,
      g.updatesPaused ? h('span', { class: 'badge warn' }, 'updates paused') : 'updates on',
      g.rolloutActive ? [' · ', h('span', { class: 'badge live' }, 'rollout active')] : '',
    );
  };
  showSummary(group);

  main.append(
    h('div', { class: 'title-row' }, h('h1', { tabindex: '-1' }, name), h('a', { class: 'button', href: link('apps', appId, 'groups', groupId, 'graphs') }, 'View all graphs')),
    summary,
    settingsSection(ctx, appId, state, channels.items ?? [], showSummary),
    rolloutSection(ctx, appId, group, rollout.rollout ?? [], showSummary),
    instancesSection(ctx, appId, groupId),
  );
}

/** The settings as text, for a user who may not change them. */
function readOnlySettings(group: T.Group) {
  const rows: [string, string][] = [
    ['Label', group.label ?? ''],
    ['Channel', group.channelId || '(none)'],
    ['Updates', group.updatesPaused ? 'paused' : 'on'],
    ['Rate limit', group.updateCount ? `${group.updateCount} per ${group.updateInterval} s` : 'none'],
    ['Update percent', `${group.updatePercent ?? 0} %`],
    ['OEM blacklist', group.oemBlacklist || '(none)'],
  ];
  return section('Settings', table('Settings', ['Setting', 'Value'], rows, { hideCaption: true }));
}

function settingsSection(ctx: ViewContext, appId: string, state: { group: T.Group }, channels: T.AppChannel[], changed: (g: T.Group) => void) {
  const group = state.group;
  if (!canChange(ctx.access, appId)) return readOnlySettings(group);
  const label = input({ name: 'label', value: group.label ?? '' });
  const channel = select(
    [{ value: '', label: '(none)' }, ...channels.map((c) => ({ value: c.label!, label: `${c.label} (${c.version})` }))],
    group.channelId ?? '',
    { name: 'channelId' },
  );
  const paused = input({ type: 'checkbox', name: 'updatesPaused', checked: !!group.updatesPaused });
  const count = input({ type: 'number', name: 'updateCount', min: '0', step: '1', value: String(group.updateCount ?? 0), inputmode: 'numeric' });
  const interval = input({ type: 'number', name: 'updateInterval', min: '0', step: '1', value: String(group.updateInterval ?? 0), inputmode: 'numeric' });
  const percent = input({ type: 'number', name: 'updatePercent', min: '0', max: '100', step: '1', value: String(group.updatePercent ?? 0), inputmode: 'numeric' });
  const oem = input({ name: 'oemBlacklist', value: group.oemBlacklist ?? '', spellcheck: 'false' });
  const f = form(
    { 'aria-label': 'Group settings', class: 'grid' },
    [
      field('Label', label),
      field('Channel', channel),
      field('Pause updates', paused, 'A paused group offers no updates.'),
      field('Rate limit: updates', count, 'At most this many new updates per interval; 0 = no limit.'),
      field('Rate limit: interval (seconds)', interval),
      field('Update percent', percent, 'Share of the group offered the update (0–100). An active rollout sets it.'),
      field('OEM blacklist', oem, 'Comma-separated OEMs that get no updates.'),
    ],
    'Save settings',
    async () => {
      // PATCH takes the whole group: send every field, the rollout state included.
      const saved = await ctx.api.updateGroup(appId, {
        ...state.group,
        label: label.value.trim(),
        channelId: channel.value,
        updatesPaused: paused.checked,
        updateCount: Number(count.value || 0),
        updateInterval: Number(interval.value || 0),
        updatePercent: Number(percent.value || 0),
        oemBlacklist: oem.value.trim(),
      });
      changed(saved);
      ctx.notify('Settings saved.');
    },
  );
  return section('Settings', f);
}

function rolloutSection(ctx: ViewContext, appId: string, group: T.Group, frames: T.Frame[], changed: (g: T.Group) => void) {
  let active = !!group.rolloutActive;
  const state = h('p', { class: 'meta', 'aria-live': 'polite' });
  const toggle = h('button', { type: 'button', class: 'secondary' });
  const showState = () => {
    fill(state, 'Rollout is ', active ? h('span', { class: 'badge live' }, 'active') : h('strong', null, 'not active'), active ? ': the update percent follows the steps below from when it was activated.' : '.');
    fill(toggle, active ? 'Deactivate rollout' : 'Activate rollout');
  };
  showState();
  if (!canChange(ctx.access, appId)) {
    const rows = frames.map((f, i) => [String(i + 1), `${f.percent ?? 0} %`, String(f.duration ?? 0)]);
    return section('Rollout', state, table('Rollout steps', ['Step', 'Percent', 'Hold for (seconds)'], rows, { hideCaption: true, empty: 'No steps.' }));
  }
  toggle.addEventListener('click', () => {
    toggle.disabled = true;
    ctx.api
      .setRolloutActive(appId, group.id!, !active)
      .then(async (r) => {
        active = !!r.active;
        showState();
        changed(await ctx.api.getGroup(appId, group.id!));
        ctx.notify(active ? 'Rollout activated.' : 'Rollout deactivated.');
      })
      .catch((err: unknown) => ctx.notify(`Could not change the rollout: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => (toggle.disabled = false));
  });

  const tbody = h('tbody');
  const addRow = (f: T.Frame = { percent: 100, duration: '0' }) => {
    const n = tbody.children.length + 1;
    const percent = input({ type: 'number', min: '0', max: '100', step: '1', value: String(f.percent ?? 0), 'aria-label': `Step ${n}: percent`, required: true });
    const duration = input({ type: 'number', min: '0', step: '1', value: String(f.duration ?? 0), 'aria-label': `Step ${n}: seconds`, required: true });
    const remove = h('button', { type: 'button', class: 'small secondary', 'aria-label': `Remove step ${n}` }, 'Remove');
    const row = h('tr', null, h('th', { scope: 'row' }, String(n)), h('td', null, percent), h('td', null, duration), h('td', null, remove));
    remove.addEventListener('click', () => row.remove());
    tbody.append(row);
  };
  for (const f of frames) addRow(f);
  const add = h('button', { type: 'button', class: 'secondary small add-step', onclick: () => addRow() }, 'Add step');
  const steps = form(
    { 'aria-label': 'Rollout steps' },
    [
      h('div', { class: 'table-wrap' }, h('table', null, h('caption', { class: 'sr-only' }, 'Rollout steps'), h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Step'), h('th', { scope: 'col' }, 'Percent'), h('th', { scope: 'col' }, 'Hold for (seconds)'), h('th', { scope: 'col' }, ''))), tbody)),
      add,
    ],
    'Save steps',
    async () => {
      const rollout = Array.from(tbody.querySelectorAll('tr')).map((tr) => {
        const inputs = tr.querySelectorAll('input');
        return { percent: Number(inputs[0]!.value), duration: String(Math.floor(Number(inputs[1]!.value))) };
      });
      await ctx.api.setRollout(appId, group.id!, rollout);
      ctx.notify(`Rollout saved: ${rollout.length} step${rollout.length === 1 ? '' : 's'}.`);
    },
  );
  return section('Rollout', h('div', { class: 'title-row' }, state, toggle), h('p', { class: 'hint' }, 'Each step holds a percent for some seconds; the last step holds.'), steps);
}

function instancesSection(ctx: ViewContext, appId: string, groupId: string) {
  const search = input({ type: 'search', name: 'search', placeholder: 'client ID, version, status or OEM', spellcheck: 'false' });
  const count = h('p', { class: 'meta', 'aria-live': 'polite' });
  const mix = h('p', { class: 'meta' });
  const list = h('div');
  let items: T.ClientUpdate[] = [];
  let total = 0;
  const show = () => {
    const q = search.value.trim().toLowerCase();
    const rows = items
      .map((u) => ({ u, status: statusOf(u.eventType, u.eventResult, u.errorCode) }))
      .filter(({ u, status }) => !q || [u.clientId, u.version, status, u.oem].some((s) => (s ?? '').toLowerCase().includes(q)));
    fill(count, q ? `${rows.length} of ${total} instances match.` : `${total} instance${total === 1 ? '' : 's'}${total > items.length ? `, the ${items.length} seen last shown` : ''}.`);
    const now = Date.now();
    fill(
      list,
      table(
        'Instances',
        ['Client ID', 'Version', 'Status', 'OEM', 'Last seen'],
        rows.map(({ u, status }) => {
          const seen = u.lastSeen ? new Date(u.lastSeen) : undefined;
          return [
            h('code', null, u.clientId ?? ''),
            u.version ?? '',
            h('span', { class: `status s-${status.split(/[ ,]/)[0]}` }, status),
            u.oem ?? '',
            seen ? h('time', { datetime: u.lastSeen, title: localTime(seen) }, ago(seen, now)) : '',
          ];
        }),
        { hideCaption: true, empty: q ? 'No instance matches.' : 'No instance has reported yet.' },
      ),
    );
  };
  const load = async () => {
    const [list1, n, versions] = await Promise.all([
      ctx.api.clientUpdates({ appId, groupId, limit: INSTANCE_LIMIT }),
      ctx.api.clientUpdateCount({ appId, groupId }),
      ctx.api.appVersions({ appId, groupId }),
    ]);
    items = list1.items ?? [];
    total = n.count ?? items.length;
    fill(mix, (versions.items ?? []).length ? `Versions: ${versionMix(versions.items ?? [])}.` : '');
    show();
  };
  search.addEventListener('input', show);
  void load().catch(() => undefined);
  every(ctx.signal, 10_000, load);
  return section('Instances', h('div', { class: 'toolbar' }, field('Search instances', search)), count, mix, list);
}
