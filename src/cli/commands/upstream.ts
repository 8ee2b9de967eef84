// `upstream`: the other update services whose published channels and
// packages this one mirrors, and the command that syncs from them.
import type { ApiClient } from '../../api/client.js';
import type { Upstream, UpstreamSyncResp } from '../../api/types.js';
import { allSet, ExitCode, type CommandSpec, type Deps } from '../command.js';
import type { FlagSet } from '../flags.js';
import { withoutZeroFields } from '../output.js';
import { printerOf, type Columns, type Printer } from '../render.js';

type UpstreamDeps = { client: ApiClient; print: Printer };

export const UPSTREAM_COLUMNS: Columns<Upstream> = [
  ['Id', (u) => u.id ?? ''],
  ['Url', (u) => u.url ?? ''],
  ['Label', (u) => u.label ?? ''],
];

const SYNC_COLUMNS: Columns<UpstreamSyncResp> = [
  ['Status', (r) => r.status ?? ''],
  ['Detail', (r) => r.detail ?? ''],
];

export interface UpstreamOptions {
  url: string;
  /** Empty: no label. */
  label: string;
}

export async function createUpstream(opts: UpstreamOptions, { client, print }: UpstreamDeps): Promise<number> {
  const created = await client.insertUpstream(withoutZeroFields({ url: opts.url, label: opts.label }));
  await print.item(UPSTREAM_COLUMNS, created);
  return ExitCode.OK;
}

export async function updateUpstream(opts: UpstreamOptions & { id: string }, { client, print }: UpstreamDeps): Promise<number> {
  const updated = await client.updateUpstream(opts.id, withoutZeroFields({ id: opts.id, url: opts.url, label: opts.label }));
  await print.item(UPSTREAM_COLUMNS, updated);
  return ExitCode.OK;
}

export async function listUpstreams({ client, print }: UpstreamDeps): Promise<number> {
  const list = await client.listUpstreams();
  await print.list(UPSTREAM_COLUMNS, list.items ?? []);
  return ExitCode.OK;
}

export async function deleteUpstream(id: string, { client, print }: UpstreamDeps): Promise<number> {
  const deleted = await client.deleteUpstream(id);
  await print.item(UPSTREAM_COLUMNS, deleted);
  return ExitCode.OK;
}

/** Prints the sync status, and its detail only when the server gave one. */
export async function syncUpstreams({ client, print }: UpstreamDeps): Promise<number> {
  const reply = await client.syncUpstreams();
  await print.item(SYNC_COLUMNS, reply, {
    text: (out) => {
      out.write(`Status: ${reply.status ?? ''}\n`);
      if (reply.detail) out.write(`Detail: ${reply.detail}\n`);
    },
  });
  return ExitCode.OK;
}

const deps = (d: Deps): UpstreamDeps => ({ client: d.client(), print: printerOf(d) });

const urlFlag = (f: FlagSet) => f.string('url', '', 'Base URL of the upstream update service.');
const labelFlag = (f: FlagSet) => f.string('label', '', 'Name to show for the upstream.');

export const upstream: CommandSpec = {
  name: 'upstream',
  description: 'Mirror the published channels and packages of other update service installations.',
  subcommands: [
    {
      name: 'upstream create',
      summary: 'Add an upstream.',
      usage: '[OPTION]...',
      description: 'Register another update service to sync from.',
      defineFlags: (f) => labelFlag(urlFlag(f)),
      run: (f, d) =>
        allSet(f, 'url') ? createUpstream({ url: f.getString('url'), label: f.getString('label') }, deps(d)) : ExitCode.USAGE,
    },
    {
      name: 'upstream update',
      summary: "Change an upstream's URL or label.",
      usage: '[OPTION]...',
      description: 'Replace the URL and label of an upstream.',
      defineFlags: (f) => labelFlag(urlFlag(f.string('id', '', 'Id of the upstream to change.'))),
      run: (f, d) =>
        allSet(f, 'id', 'url')
          ? updateUpstream({ id: f.getString('id'), url: f.getString('url'), label: f.getString('label') }, deps(d))
          : ExitCode.USAGE,
    },
    {
      name: 'upstream list',
      summary: 'List upstreams.',
      description: 'Show every upstream with its id, URL and label.',
      run: (_f, d) => listUpstreams(deps(d)),
    },
    {
      name: 'upstream delete',
      summary: 'Remove an upstream.',
      description: 'Stop syncing from an upstream and forget it.',
      defineFlags: (f) => f.string('id', '', 'Id of the upstream to remove.'),
      run: (f, d) => (allSet(f, 'id') ? deleteUpstream(f.getString('id'), deps(d)) : ExitCode.USAGE),
    },
    {
      name: 'upstream sync',
      summary: 'Sync from all upstreams.',
      description: 'Fetch the published channels and packages of every upstream now.',
      run: (_f, d) => syncUpstreams(deps(d)),
    },
  ],
};
