// "View all graphs" for a group: instances per version over time and events
// by type and result over time, at the API's resolutions, refreshed live;
// each chart has its data as a table beside it.
import type * as T from '../../api/types.js';
import { compareVersions } from '../../server/versions.js';
import { TimeChart, seriesVar, type ChartData } from '../charts.js';
import { field, fill, h, input, section, select } from '../dom.js';
import { bucketLabel, eventLabel, localTime } from '../format.js';
import { every, link, type ViewContext } from '../ui.js';

const RESOLUTIONS = [
  { value: 60, label: 'Minutes (last hour)', unit: 'minute', refreshMs: 5_000 },
  { value: 3600, label: 'Hours (last 60 hours)', unit: 'hour', refreshMs: 30_000 },
  { value: 86400, label: 'Days (last 60 days)', unit: 'day', refreshMs: 60_000 },
] as const;
const BUCKETS = 60;
/** Fewest buckets drawn, so a young group's first points are not alone on the axis. */
const MIN_SHOWN = 10;

export async function graphsView(ctx: ViewContext): Promise<void> {
  const { api, main, signal } = ctx;
  const [appId, groupId] = ctx.params as [string, string];
  const [app, group] = await Promise.all([api.getApp(appId), api.getGroup(appId, groupId)]);
  const name = group.label || groupId;
  ctx.setTrail([
    { label: 'Applications', href: '#/' },
    { label: app.label || appId, href: link('apps', appId) },
    { label: name, href: link('apps', appId, 'groups', groupId) },
    { label: 'Graphs' },
  ]);

  const saved = Number(sessionStorage.getItem('updateservice.resolution'));
  const resolution = select(
    RESOLUTIONS.map((r) => ({ value: String(r.value), label: r.label })),
    String(RESOLUTIONS.some((r) => r.value === saved) ? saved : 60),
    { name: 'resolution' },
  );
  const live = input({ type: 'checkbox', name: 'live', checked: true });
  const updated = h('span', { class: 'meta' });
  const now = h('div', { class: 'now' });
  const versionsHost = h('div', { class: 'chart', role: 'img' });
  const eventsHost = h('div', { class: 'chart', role: 'img' });
  const versionsTable = h('div');
  const eventsTable = h('div');
  const versionsNote = h('p', { class: 'hint' });
  const eventsNote = h('p', { class: 'hint' });

  main.append(
    h('div', { class: 'title-row' }, h('h1', { tabindex: '-1' }, `Graphs: ${name}`), h('a', { class: 'button secondary', href: link('apps', appId, 'groups', groupId) }, 'Group settings')),
    h('div', { class: 'toolbar' }, field('Resolution', resolution), field('Refresh live', live), updated),
    section('Instances now', now),
    figure('Instances per version', 'instances-per-version', versionsHost, versionsNote, versionsTable),
    figure('Events by type and result', 'events-by-type', eventsHost, eventsNote, eventsTable),
  );

  const versionsChart = new TimeChart(versionsHost, 'instances');
  const eventsChart = new TimeChart(eventsHost, 'events');
  signal.addEventListener('abort', () => {
    versionsChart.destroy();
    eventsChart.destroy();
  });

  let lastRefresh = 0;
  let running: Promise<void> | undefined;
  const refresh = async () => {
    const res = RESOLUTIONS.find((r) => String(r.value) === resolution.value) ?? RESOLUTIONS[0];
    const nowSec = Math.floor(Date.now() / 1000);
    const end = nowSec - (nowSec % res.value);
    const start = end - (BUCKETS - 1) * res.value;
    const [versions, events, current, g, channels] = await Promise.all([
      api.rollup('versions', appId, groupId, start, nowSec, res.value),
      api.rollup('events', appId, groupId, start, nowSec, res.value),
      api.appVersions({ appId, groupId }),
      api.getGroup(appId, groupId),
      api.listChannels(appId),
    ]);
    if (signal.aborted) return;
    const xs = Array.from({ length: BUCKETS }, (_, i) => start + i * res.value);
    const channel = (channels.items ?? []).find((c) => c.label === g.channelId);

    // One colour per version on the bars and the chart: by age, oldest first.
    const known = [...new Set([...(versions.items ?? []), ...(current.items ?? [])].map((v) => v.version ?? ''))].sort(compareVersions);
    const colourOf = (v: string) => known.indexOf(v);
    showNow(now, current.items ?? [], g, colourOf, channel);

    const vData = trim(byVersion(versions.items ?? [], xs, res.value, colourOf));
    versionsChart.update(vData);
    versionsHost.setAttribute('aria-label', describe('Instances per version', vData, res.unit));
    fill(versionsNote, note(vData, res.unit, 'instances that reported each version'));
    fill(versionsTable, dataTable('Instances per version', vData, res.value));

    const eData = trim(byEvent(events.items ?? [], xs, res.value));
    eventsChart.update(eData);
    eventsHost.setAttribute('aria-label', describe('Events by type and result', eData, res.unit));
    fill(eventsNote, note(eData, res.unit, 'events of each type and result'));
    fill(eventsTable, dataTable('Events by type and result', eData, res.value));

    lastRefresh = Date.now();
    fill(updated, `Updated ${localTime(new Date(), false)}${live.checked ? `, every ${res.refreshMs / 1000} s` : ''}`);
  };
  const refreshNow = () => (running ??= refresh().finally(() => (running = undefined)));

  resolution.addEventListener('change', () => {
    sessionStorage.setItem('updateservice.resolution', resolution.value);
    void refreshNow();
  });
  live.addEventListener('change', () => void refreshNow());
  await refreshNow();
  every(signal, 1000, async () => {
    const res = RESOLUTIONS.find((r) => String(r.value) === resolution.value) ?? RESOLUTIONS[0];
    if (live.checked && Date.now() - lastRefresh >= res.refreshMs) await refreshNow();
  });
}

function figure(title: string, id: string, host: HTMLElement, noteEl: HTMLElement, tableEl: HTMLElement): HTMLElement {
  return h(
    'figure',
    { class: 'graph', id, 'aria-labelledby': `${id}-title` },
    h('figcaption', null, h('h2', { id: `${id}-title` }, title)),
    host,
    noteEl,
    h('details', { class: 'data' }, h('summary', null, 'Data table'), tableEl),
  );
}

function showNow(el: HTMLElement, items: T.AppVersionItem[], g: T.Group, colourOf: (v: string) => number, channel?: T.AppChannel) {
  const sorted = [...items].sort((a, b) => compareVersions(a.version ?? '', b.version ?? ''));
  const total = sorted.reduce((n, v) => n + (v.count ?? 0), 0);
  if (total === 0) {
    fill(el, h('p', null, 'No instance of this group has reported yet. Start some with ', h('code', null, 'updateservicectl instance fake'), '.'));
    return;
  }
  const target = channel?.version;
  const onTarget = sorted.find((v) => v.version === target)?.count ?? 0;
  fill(
    el,
    target
      ? h('p', { class: 'headline' }, h('strong', null, `${onTarget} of ${total}`), ` instances run ${target}, the version of channel ${channel!.label}`, g.updatesPaused ? ' (updates are paused)' : '', '.')
      : h('p', { class: 'headline' }, `${total} instances; the group follows no channel.`),
    h(
      'ul',
      { class: 'bars', 'aria-label': 'Instances by the version they last reported' },
      ...sorted.map((v) => {
        const pct = Math.round(((v.count ?? 0) / total) * 100);
        return h(
          'li',
          null,
          h('span', { class: 'version' }, v.version ?? ''),
          h('span', { class: 'bar', 'aria-hidden': 'true' }, h('span', { style: `width:${pct}%;background:${seriesVar(colourOf(v.version ?? ''))}` })),
          h('span', { class: 'count' }, `${v.count} (${pct} %)`),
        );
      }),
    ),
  );
}

/** One series per version, oldest first, so a version keeps its colour when a newer one appears. */
function byVersion(items: T.GroupRequestsItem[], xs: number[], resolution: number, colourOf: (v: string) => number): ChartData {
  const sorted = [...items].sort((a, b) => compareVersions(a.version ?? '', b.version ?? ''));
  return {
    x: xs,
    resolution,
    series: sorted.map((item) => {
      const at = new Map((item.values ?? []).map((v) => [Number(v.timestamp), Number(v.count)]));
      return { label: item.version ?? '', colour: colourOf(item.version ?? ''), values: xs.map((x) => at.get(x) ?? 0) };
    }),
  };
}

/** Fixed colours for the events update clients send: errors red, the steps of an update in order. */
const EVENT_COLOURS: Record<string, number> = { '13/1': 0, '14/1': 1, '3/1': 2, '3/2': 3, '3/0': 4, '800/1': 5, '1/0': 6 };

/** One series per (type, result), summed over versions. */
function byEvent(items: T.GroupRequestsItem[], xs: number[], resolution: number): ChartData {
  const sums = new Map<string, Map<number, number>>();
  for (const item of items) {
    const key = `${item.type}/${item.result}`;
    const at = sums.get(key) ?? new Map<number, number>();
    for (const v of item.values ?? []) at.set(Number(v.timestamp), (at.get(Number(v.timestamp)) ?? 0) + Number(v.count));
    sums.set(key, at);
  }
  const keys = [...sums.keys()].sort((a, b) => {
    const [ta, ra] = a.split('/').map(Number) as [number, number];
    const [tb, rb] = b.split('/').map(Number) as [number, number];
    return ta - tb || ra - rb;
  });
  return {
    x: xs,
    resolution,
    series: keys.map((k) => {
      const [type, result] = k.split('/') as [string, string];
      const at = sums.get(k)!;
      return { label: eventLabel(type, result), colour: EVENT_COLOURS[k] ?? 7, values: xs.map((x) => at.get(x) ?? 0) };
    }),
  };
}

/** Drops the empty buckets before the first report, keeping at least MIN_SHOWN. */
function trim(d: ChartData): ChartData {
  const first = d.x.findIndex((_, i) => d.series.some((s) => (s.values[i] ?? 0) > 0));
  const from = first < 0 ? d.x.length - MIN_SHOWN : Math.max(0, Math.min(first - 1, d.x.length - MIN_SHOWN));
  return { ...d, x: d.x.slice(from), series: d.series.map((s) => ({ ...s, values: s.values.slice(from) })) };
}

function latest(d: ChartData): string {
  const i = d.x.length - 1;
  return d.series.map((s) => `${s.label}: ${s.values[i] ?? 0}`).join(', ');
}

function describe(title: string, d: ChartData, unit: string): string {
  if (d.series.length === 0) return `${title}: no data yet.`;
  return `${title}, chart per ${unit}. This ${unit} so far: ${latest(d)}. The table under the chart has every value.`;
}

function note(d: ChartData, unit: string, what: string): string {
  if (d.series.length === 0) return 'Nothing reported in this window yet.';
  return `Each point counts the ${what} in one ${unit}; the last point is this ${unit} so far.`;
}

function dataTable(caption: string, d: ChartData, resolution: number): HTMLElement {
  const rows: HTMLElement[] = [];
  for (let i = d.x.length - 1; i >= 0; i--) {
    if (!d.series.some((s) => (s.values[i] ?? 0) > 0)) continue;
    const label = bucketLabel(d.x[i]!, resolution) + (i === d.x.length - 1 ? ' (so far)' : '');
    rows.push(h('tr', null, h('th', { scope: 'row' }, label), ...d.series.map((s) => h('td', null, String(s.values[i] ?? 0)))));
  }
  return h(
    'div',
    { class: 'table-wrap fit' },
    h(
      'table',
      { class: 'numbers' },
      h('caption', { class: 'sr-only' }, caption),
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Time'), ...d.series.map((s) => h('th', { scope: 'col' }, s.label)))),
      h('tbody', null, rows.length ? rows : h('tr', null, h('td', { colspan: d.series.length + 1, class: 'empty' }, 'No data in this window.'))),
    ),
  );
}
