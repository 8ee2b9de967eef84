// 0.x app verbs: list-apps, create-app, update-app, delete-app.
import { randomUUID } from 'node:crypto';
import type { App } from '../../api/types.js';
import { ExitCode, type Deps } from '../command.js';
import { listApps } from '../commands/app.js';
import { withoutZeroFields } from '../output.js';
import type { TabWriter } from '../tabwriter.js';
import { requireArgs, ShowVerbHelp, usageFailure, type LegacyInput, type LegacyVerb } from './verb.js';

/** The 0.x commands that change an app print its row without the table heading. */
function writeAppRow(out: TabWriter, app: App): void {
  out.row(app.id ?? '', app.label ?? '', app.description ?? '');
}

/** `create-app [<appId>] <label> <description>`: without an id, a random UUID. */
async function createApp(input: LegacyInput, { client, out }: Deps): Promise<number> {
  const n = input.args.length;
  if (n !== 2 && n !== 3) throw new ShowVerbHelp();
  const [id, label, description] = n === 3 ? (input.args as [string, string, string]) : [randomUUID(), ...(input.args as [string, string])];
  const app = await client().insertApp(withoutZeroFields({ id, label, description }));
  writeAppRow(out, app);
  return ExitCode.OK;
}

async function updateApp(input: LegacyInput, { client, out }: Deps): Promise<number> {
  const [id, label, description] = requireArgs(input, 3) as [string, string, string];
  const app = await client().updateApp(id, withoutZeroFields({ label, description }));
  writeAppRow(out, app);
  return ExitCode.OK;
}

async function deleteApp(input: LegacyInput, { client, out }: Deps): Promise<number> {
  if (input.args.length !== 1) return usageFailure(out, 'App token is required');
  writeAppRow(out, await client().deleteApp(input.args[0]!));
  return ExitCode.OK;
}

export const APP_VERBS: LegacyVerb[] = [
  {
    name: 'list-apps',
    usage: 'list-apps',
    description: 'Show every application with its id, label and description.',
    run: (_input, d) => listApps({ client: d.client(), out: d.out }),
  },
  {
    name: 'create-app',
    usage: 'create-app [<appId>] <label> <description>',
    description: 'Register an application; without an id, a random one is chosen.',
    run: createApp,
  },
  {
    name: 'update-app',
    usage: 'update-app <appId> <label> <description>',
    description: "Set an application's label and description (creating it when the service allows).",
    run: updateApp,
  },
  {
    name: 'delete-app',
    usage: 'delete-app <appId>',
    description: 'Remove an application.',
    run: deleteApp,
  },
];
