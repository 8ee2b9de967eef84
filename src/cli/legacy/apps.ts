// 0.x app verbs: list-apps, create-app, update-app, delete-app.
import { randomUUID } from 'node:crypto';
import type { App } from '../../api/types.js';
import { ExitCode, type Deps } from '../command.js';
import { APP_COLUMNS, listApps } from '../commands/app.js';
import { withoutZeroFields } from '../output.js';
import { printerOf, rowsOnly } from '../render.js';
import { requireArgs, ShowVerbHelp, usageFailure, type LegacyInput, type LegacyVerb } from './verb.js';

/** The 0.x commands that change an app print its row without the table heading. */
function printApp(d: Deps, app: App): Promise<void> {
  return printerOf(d).item(APP_COLUMNS, app, { text: rowsOnly(APP_COLUMNS) });
}

/** `create-app [<appId>] <label> <description>`: without an id, a random UUID. */
async function createApp(input: LegacyInput, d: Deps): Promise<number> {
  const n = input.args.length;
  if (n !== 2 && n !== 3) throw new ShowVerbHelp();
  const [id, label, description] = n === 3 ? (input.args as [string, string, string]) : [randomUUID(), ...(input.args as [string, string])];
  const app = await d.client().insertApp(withoutZeroFields({ id, label, description }));
  await printApp(d, app);
  return ExitCode.OK;
}

async function updateApp(input: LegacyInput, d: Deps): Promise<number> {
  const [id, label, description] = requireArgs(input, 3) as [string, string, string];
  const app = await d.client().updateApp(id, withoutZeroFields({ label, description }));
  await printApp(d, app);
  return ExitCode.OK;
}

async function deleteApp(input: LegacyInput, d: Deps): Promise<number> {
  if (input.args.length !== 1) return usageFailure(d, 'App token is required');
  await printApp(d, await d.client().deleteApp(input.args[0]!));
  return ExitCode.OK;
}

export const APP_VERBS: LegacyVerb[] = [
  {
    name: 'list-apps',
    usage: 'list-apps',
    description: 'Show every application with its id, label and description.',
    run: (_input, d) => listApps({ client: d.client(), print: printerOf(d) }),
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
