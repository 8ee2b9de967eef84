// `app`: create, list, update and delete applications.
import { randomUUID } from 'node:crypto';
import type { ApiClient } from '../../api/client.js';
import type { App } from '../../api/types.js';
import { allSet, ExitCode, type CommandSpec, type Deps } from '../command.js';
import { withoutZeroFields } from '../output.js';
import { printerOf, type Columns, type Printer } from '../render.js';

type AppDeps = { client: ApiClient; print: Printer };

export const APP_COLUMNS: Columns<App> = [
  ['Id', (a) => a.id ?? ''],
  ['Label', (a) => a.label ?? ''],
  ['Description', (a) => a.description ?? ''],
];

export async function listApps({ client, print }: AppDeps): Promise<number> {
  const list = await client.listApps();
  await print.list(APP_COLUMNS, list.items ?? []);
  return ExitCode.OK;
}

export interface CreateAppOptions {
  /** Empty: a random UUID is generated. */
  appId: string;
  label: string;
  description: string;
}

export async function createApp(opts: CreateAppOptions, { client, print }: AppDeps): Promise<number> {
  const app = await client.insertApp(
    withoutZeroFields({ id: opts.appId || randomUUID(), label: opts.label, description: opts.description }),
  );
  await print.item(APP_COLUMNS, app);
  return ExitCode.OK;
}

export async function updateApp(opts: Required<CreateAppOptions>, { client, print }: AppDeps): Promise<number> {
  // the id travels in the path only: the original's body held just the label and description
  const app = await client.updateApp(opts.appId, withoutZeroFields({ label: opts.label, description: opts.description }));
  await print.item(APP_COLUMNS, app);
  return ExitCode.OK;
}

export async function deleteApp(appId: string, { client, print }: AppDeps): Promise<number> {
  const app = await client.deleteApp(appId);
  await print.item(APP_COLUMNS, app);
  return ExitCode.OK;
}

const deps = (d: Deps): AppDeps => ({ client: d.client(), print: printerOf(d) });

export const app: CommandSpec = {
  name: 'app',
  subcommands: [
    {
      name: 'app create',
      summary: 'Create an application.',
      usage: '[OPTION]...',
      description: 'Register an application with the service.',
      defineFlags: (f) =>
        f
          .string('app-id', '', 'Id of the new application (a random UUID when omitted).')
          .string('label', '', 'Label of the new application.')
          .string('description', '', 'Description of the new application.'),
      run: (f, d) =>
        createApp({ appId: f.getString('app-id'), label: f.getString('label'), description: f.getString('description') }, deps(d)),
    },
    {
      name: 'app list',
      summary: 'List applications.',
      description: 'List every application with its id, label and description.',
      run: (_f, d) => listApps(deps(d)),
    },
    {
      name: 'app update',
      summary: "Change an application's label and description.",
      usage: '[OPTION]...',
      description: "Set an application's label and description.",
      defineFlags: (f) =>
        f
          .string('app-id', '', 'Id of the application to change.')
          .string('label', '', 'Label to set.')
          .string('description', '', 'Description to set.'),
      run: (f, d) =>
        allSet(f, 'app-id', 'label', 'description')
          ? updateApp({ appId: f.getString('app-id'), label: f.getString('label'), description: f.getString('description') }, deps(d))
          : ExitCode.USAGE,
    },
    {
      name: 'app delete',
      summary: 'Delete an application.',
      usage: '[OPTION]...',
      description: 'Delete an application with its channels, groups and packages.',
      defineFlags: (f) => f.string('app-id', '', 'Id of the application to remove.'),
      run: (f, d) => (allSet(f, 'app-id') ? deleteApp(f.getString('app-id'), deps(d)) : ExitCode.USAGE),
    },
  ],
};
