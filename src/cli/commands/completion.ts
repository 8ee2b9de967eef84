// `completion bash|zsh|fish` prints a script to source, and the hidden
// `__complete` entry answers the calls that script makes on every TAB.
import { ExitCode, type CommandSpec, type Deps } from '../command.js';
import { complete, type Completions } from '../completion/engine.js';
import { liveSources } from '../completion/live.js';
import { COMPLETE_ENTRY, completionScript, FILES_DIRECTIVE, SHELLS, type Shell } from '../completion/scripts.js';

const HOW_TO_LOAD: Record<Shell, (program: string) => string> = {
  bash: (p) => `source <(${p} completion bash), e.g. in ~/.bashrc`,
  zsh: (p) => `source <(${p} completion zsh), e.g. in ~/.zshrc`,
  fish: (p) => `${p} completion fish | source, e.g. in ~/.config/fish/config.fish`,
};

/** One `value<TAB>description` line per candidate, then `:files` when the shell should complete paths. */
export function formatCompletions(result: Completions): string {
  let text = '';
  for (const c of result.candidates) text += c.description ? `${c.value}\t${oneLine(c.description)}\n` : `${c.value}\n`;
  if (result.files) text += `${FILES_DIRECTIVE}\n`;
  return text;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Answers one completion request; whatever goes wrong, the shell gets nothing rather than an error. */
export async function answerCompletion(words: string[], d: Pick<Deps, 'program' | 'env' | 'stdout'>): Promise<number> {
  try {
    d.stdout.write(formatCompletions(await complete(d.program, words, liveSources(d.program, d.env))));
  } catch {
    // a broken completion must never print into the user's command line
  }
  return ExitCode.OK;
}

export const completion: CommandSpec = {
  name: 'completion',
  description:
    'Print a script that makes the shell complete commands, flags, and the values of --app-id, --group-id, --channel ' +
    'and --version (fetched from the server the command line, UPDATECTL_* variables or profile point at).',
  subcommands: SHELLS.map((shell) => ({
    name: `completion ${shell}`,
    summary: `Print the ${shell} completion script.`,
    description: `Print the ${shell} completion script. Load it with ${HOW_TO_LOAD[shell]('<program>')}.`,
    run: (_f, d: Deps) => {
      d.stdout.write(completionScript(shell, d.program));
      return ExitCode.OK;
    },
  })),
};

/** What the scripts call: `<program> __complete -- <words after the program name…>`. */
export const completeEntry: CommandSpec = {
  name: COMPLETE_ENTRY,
  usage: '-- <word>...',
  description: 'Print the completions of the last word (used by the completion scripts).',
  hidden: true,
  run: (f, d) => answerCompletion(f.positionals, d),
};
