// Help and usage texts in the original's layout. They are written through the
// same tabwriter as everything else on stdout, which aligns the columns.
import type { CommandEntry, CommandSpec } from './command.js';
import type { FlagSet } from './flags.js';

export function commandUsage(spec: CommandSpec, flags: FlagSet, program: string): string {
  let text = `NAME:\n\t${spec.name} - ${spec.summary ?? ''}\n\n`;
  text += `USAGE:\n\t${program} ${spec.name} ${spec.usage ?? ''}\n\n`;
  // a command without a longer description is described by its summary
  text += `DESCRIPTION:\n\t${spec.description ?? spec.summary ?? ''}\n\n`;
  const subs = (spec.subcommands ?? []).filter((s) => !s.hidden);
  if (subs.length > 0) {
    text += 'COMMANDS:\n';
    for (const sub of subs) text += `\t${sub.name}\t${sub.summary ?? ''}\n`;
  }
  text += '\n';
  const defs = flags.list().filter((d) => !d.hidden);
  if (defs.length > 0) {
    text += 'OPTIONS:\n';
    for (const d of defs) text += `\t--${d.name}=${d.defValue}\t${d.usage}\n`;
  }
  text += `For help on global options run "${program} --help"\n`;
  return text;
}

export function globalHelp(program: string, version: string, commands: CommandEntry[], globals: FlagSet): string {
  let text = `NAME:\n\t${program} - manage applications, channels, groups and packages of an update service\n\n`;
  text += `USAGE:\n\t${program} [global options] <command> [command options] [arguments...]\n\n`;
  text += `VERSION:\n\t${version}\n\n`;
  text += 'COMMANDS:\n';
  for (const c of commands) if (!c.hidden) text += `\t${c.name}\t${c.summary}\n`;
  text += '\nGLOBAL OPTIONS:\n';
  for (const d of globals.list()) if (!d.hidden) text += `\t--${d.name}=${d.defValue}\t${d.usage}\n`;
  text += `\nRun "${program} <command> --help" for more details on a specific command.\n`;
  return text;
}
