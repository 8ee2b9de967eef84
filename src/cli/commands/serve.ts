// `serve`: runs the update service. Its flags, what they mean and how their
// values are read live with the service (src/server/main.ts, config.ts),
// reached through the one lazy import of the server's entry below; they are
// parsed by the same Go-style rules, and shown in the same usage layout, as
// every other command's.
import { ExitCode, type CommandSpec, type Deps } from '../command.js';
import { FlagError } from '../flags.js';
import { ReportedFailure } from '../render.js';

const PREFIX = 'updateservicectl serve: ';

/** A flag error or a stray argument: one line that names it, exit 2 (the usage is a `serve --help` away). */
function refuse(deps: Deps, message: string): number {
  deps.stderr.write(deps.terminal.stderr.error(`${PREFIX}${message}\n`));
  return ExitCode.USAGE;
}

export async function loadServe(): Promise<CommandSpec> {
  const server = await import('../../server/main.js');
  return {
    name: 'serve',
    usage: '[OPTION]...',
    description:
      'Run the update service: the v1 API, the Omaha endpoint, payloads and the dashboard. ' +
      'A setting may also come from its variable ([env …]) or a YAML file (--config); a flag beats both.',
    defineFlags: (f) => {
      for (const flag of server.SERVE_FLAGS) {
        f.custom(flag.name, flag.kind, { defValue: flag.defValue, usage: flag.usage, parse: (text) => flag.parse(text) });
      }
    },
    onFlagError: (message, deps) => refuse(deps, message),
    run: async (f) => {
      const stray = f.positionals[0];
      if (stray !== undefined) {
        const bool = /^(true|false|yes|no|on|off|1|0)$/i.test(stray) ? ` (a boolean flag takes its value after "=": --name=${stray})` : '';
        throw new FlagError(`unexpected argument "${stray}"${bool}`);
      }
      const given: Record<string, unknown> = {};
      for (const flag of server.SERVE_FLAGS) if (f.isSet(flag.name)) given[flag.name] = f.get(flag.name);
      const status = await server.serveWith(given);
      // a bad setting from the environment or the file was reported in one line: no usage after it
      if (status === ExitCode.USAGE) throw new ReportedFailure(status);
      return status;
    },
  };
}
