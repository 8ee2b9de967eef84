// What to offer for the word being typed, worked out from the command tree
// itself (registry families, their subcommands and flag sets, the 0.x verbs)
// under the same Go flag rules the commands parse with: global flags before
// the command, `-x` equals `--x`, a non-bool flag takes the next word unless
// written `--x=value`, a bool never does, and parsing stops at the first
// positional argument. Values of --app-id, --group-id, --channel and
// --version come from the server (live.ts); a failure there just offers
// nothing.
import { invocationWord, type CommandSpec } from '../command.js';
import { FlagSet, type FlagDef } from '../flags.js';
import { globalFlagSet, legacyGlobalFlagSet } from '../globals.js';
import { aliasFlagSet } from '../legacy/flags.js';
import { COMMANDS, findCommand, isLegacyVerb } from '../registry.js';
import type { LiveKind } from './live.js';

export interface Candidate {
  value: string;
  description?: string;
}

export interface Completions {
  candidates: Candidate[];
  /** The word is a file or folder name: the shell should complete paths. */
  files?: boolean;
}

/** What the engine needs from outside: server look-ups and saved profile names. */
export interface CompletionSources {
  /** Values of a flag from the server the typed global flags (or variables, or profile) point at. */
  live(kind: LiveKind, context: { globalWords: string[]; appId?: string }): Promise<Candidate[]>;
  profileNames(): Promise<string[]>;
}

const LEGACY_PROGRAM = 'updatectl';
const NOTHING: Completions = { candidates: [] };

/** Flags that take values from the server, by name. */
const LIVE_FLAGS: Record<string, LiveKind> = { 'app-id': 'apps', 'group-id': 'groups', channel: 'channels', version: 'versions' };
const OUTPUT_FORMATS = ['text', 'json', 'table'];

/**
 * Completions for `words`: what follows the program name on the command line,
 * the last one being the word under the cursor (empty after a space).
 */
export async function complete(program: string, words: string[], sources: CompletionSources): Promise<Completions> {
  const current = words.length > 0 ? words[words.length - 1]! : '';
  const typed = words.slice(0, -1);
  const legacy = program === LEGACY_PROGRAM;
  const globals = legacy ? legacyGlobalFlagSet(program) : globalFlagSet(program);
  const walk = walkFlags(globals, typed, 0);
  const globalWords = typed.slice(0, walk.end);

  if (walk.pending) return globalValue(walk.pending, '', current, sources);
  if (walk.end === typed.length) {
    if (current.startsWith('-') && !walk.ended) {
      return flagWord(globals, current, new Set(walk.values.keys()), (def, prefix) => globalValue(def, prefix, current, sources));
    }
    return filtered(await commandNames(legacy), current);
  }

  const name = typed[walk.end]!;
  const rest = typed.slice(walk.end + 1);
  const entry = findCommand(name);
  if (isLegacyVerb(name) && (legacy || !entry)) return completeLegacyVerb(name, rest, current, globalWords, sources);
  if (!entry) return NOTHING;
  return completeCommand(await entry.load(), rest, current, globalWords, sources);
}

/** Below a family: its subcommands, then the flags of the command they lead to. */
async function completeCommand(root: CommandSpec, rest: string[], current: string, globalWords: string[], sources: CompletionSources): Promise<Completions> {
  let spec = root;
  let i = 0;
  for (; i < rest.length; i++) {
    const sub = spec.subcommands?.find((s) => invocationWord(s) === rest[i]);
    if (!sub) break;
    spec = sub;
  }
  const flags = new FlagSet(spec.name);
  spec.defineFlags?.(flags);
  const walk = walkFlags(flags, rest, i);
  const appId = walk.values.get('app-id');
  const value = (def: FlagDef, prefix: string) => commandValue(def, prefix, current, { globalWords, appId }, sources);

  if (walk.pending) return value(walk.pending, '');
  // a word that is not a flag ended the flags: from then on the command takes no more of them
  if (walk.end < rest.length || walk.ended) return NOTHING;
  if (current.startsWith('-')) return flagWord(flags, current, new Set(walk.values.keys()), value);
  if (i === rest.length && spec.subcommands?.length) {
    return filtered(
      spec.subcommands.filter((s) => !s.hidden).map((s) => ({ value: invocationWord(s), description: s.summary })),
      current,
    );
  }
  return filtered(await positionalValues(spec, sources), current);
}

/** The first positional argument of the commands that take a name of something listed locally. */
async function positionalValues(spec: CommandSpec, sources: CompletionSources): Promise<Candidate[]> {
  if (spec.name === 'help') return commandNames(false);
  if (spec.name.startsWith('profile ') && /name/.test(spec.usage ?? '')) {
    return (await sources.profileNames()).map((value) => ({ value }));
  }
  return [];
}

/** A 0.x verb: its flags may follow its positional arguments, so only the word before the cursor matters. */
async function completeLegacyVerb(name: string, rest: string[], current: string, globalWords: string[], sources: CompletionSources): Promise<Completions> {
  const { findLegacyVerb } = await import('../legacy/index.js');
  const verb = findLegacyVerb(name);
  if (!verb) return NOTHING;
  const flags = aliasFlagSet(verb.name, verb.flags ?? []);
  const appId = valueOf(flags, rest, 'app-id') ?? rest.find((w) => !w.startsWith('-'));
  const value = (def: FlagDef, prefix: string) => commandValue(def, prefix, current, { globalWords, appId }, sources);
  const previous = rest[rest.length - 1];
  const pending = previous !== undefined ? flagBefore(flags, previous) : undefined;
  if (pending) return value(pending, '');
  if (current.startsWith('-')) return flagWord(flags, current, new Set(), value);
  return NOTHING;
}

interface FlagWalk {
  /** Index of the first word that is not a flag or a flag's value. */
  end: number;
  /** `--` was seen: no more flags. */
  ended: boolean;
  /** Flags given so far, by name, with their values. */
  values: Map<string, string>;
  /** The word under the cursor is the value of this flag. */
  pending?: FlagDef;
}

/** Reads `words` from `start` as a Go flag set would, noting a flag whose value is still to be typed. */
function walkFlags(set: FlagSet, words: string[], start: number): FlagWalk {
  const defs = definitions(set);
  const values = new Map<string, string>();
  let i = start;
  while (i < words.length) {
    const word = words[i]!;
    if (word === '--') return { end: i + 1, ended: true, values };
    if (word.length < 2 || !word.startsWith('-')) break;
    const [name, inline] = splitFlag(word);
    const def = defs.get(name);
    if (def && def.kind !== 'bool' && inline === undefined) {
      if (i + 1 === words.length) return { end: i + 1, ended: false, values, pending: def };
      values.set(name, words[i + 1]!);
      i += 2;
      continue;
    }
    values.set(name, inline ?? 'true');
    i += 1;
  }
  return { end: i, ended: false, values };
}

/** `--name=value` → [name, value]; `-name` → [name, undefined]. */
function splitFlag(word: string): [string, string | undefined] {
  const body = word.replace(/^--?/, '');
  const eq = body.indexOf('=');
  return eq < 0 ? [body, undefined] : [body.slice(0, eq), body.slice(eq + 1)];
}

function definitions(set: FlagSet): Map<string, FlagDef> {
  return new Map(set.list().map((d) => [d.name, d]));
}

/** The flag whose value the next word is, when `word` is such a flag written without `=`. */
function flagBefore(set: FlagSet, word: string): FlagDef | undefined {
  if (!word.startsWith('-')) return undefined;
  const [name, inline] = splitFlag(word);
  const def = definitions(set).get(name);
  return def && def.kind !== 'bool' && inline === undefined ? def : undefined;
}

function valueOf(set: FlagSet, words: string[], name: string): string | undefined {
  let found: string | undefined;
  words.forEach((w, i) => {
    if (!w.startsWith('-')) return;
    const [n, inline] = splitFlag(w);
    if (n === name && definitions(set).has(n)) found = inline ?? words[i + 1];
  });
  return found;
}

/**
 * The word under the cursor starts with `-`: a flag name (in the dash style
 * typed, which Go accepts either way), or after `=` that flag's value.
 * One-letter spellings (the 0.x `-s`, `-u`, `-k`) are aliases and not offered.
 */
async function flagWord(
  set: FlagSet,
  current: string,
  given: Set<string>,
  value: (def: FlagDef, prefix: string) => Promise<Completions>,
): Promise<Completions> {
  const dashes = current.startsWith('--') ? '--' : '-';
  const [name, inline] = splitFlag(current);
  if (inline !== undefined) {
    const def = definitions(set).get(name);
    return def ? value(def, current.slice(0, current.length - inline.length)) : NOTHING;
  }
  const candidates = set
    .list()
    .filter((d) => d.name.length > 1 && !given.has(d.name))
    .map((d) => ({ value: `${dashes}${d.name}`, description: firstLine(d.usage) }));
  return filtered(candidates, current);
}

/** Values of a global flag: saved profile names, output formats, booleans. */
async function globalValue(def: FlagDef, prefix: string, current: string, sources: CompletionSources): Promise<Completions> {
  let values: Candidate[] = [];
  if (def.name === 'profile') values = (await sources.profileNames()).map((value) => ({ value }));
  else if (def.name === 'output') values = OUTPUT_FORMATS.map((value) => ({ value }));
  else if (def.kind === 'bool') values = boolValues();
  return withPrefix(values, prefix, current);
}

/** Values of a command's flag: from the server, paths, or booleans. */
async function commandValue(
  def: FlagDef,
  prefix: string,
  current: string,
  context: { globalWords: string[]; appId?: string },
  sources: CompletionSources,
): Promise<Completions> {
  if (def.kind === 'bool') return withPrefix(boolValues(), prefix, current);
  const live = LIVE_FLAGS[def.name];
  if (live && def.kind === 'string') return withPrefix(await sources.live(live, context), prefix, current);
  // a flag whose usage speaks of a file or folder takes a path
  if (/\b(file|folder)\b/i.test(def.usage)) return { candidates: [], files: true };
  return NOTHING;
}

function boolValues(): Candidate[] {
  return [{ value: 'true' }, { value: 'false' }];
}

/** Values after `--flag=` keep that prefix, so the shell replaces the whole word. */
function withPrefix(values: Candidate[], prefix: string, current: string): Completions {
  return filtered(
    values.map((c) => ({ ...c, value: prefix + c.value })),
    current,
  );
}

function filtered(candidates: Candidate[], current: string): Completions {
  const seen = new Set<string>();
  return {
    candidates: candidates.filter((c) => c.value.startsWith(current) && !seen.has(c.value) && seen.add(c.value)),
  };
}

/** The top-level words: the families (and under `updatectl` the 0.x verbs too). */
async function commandNames(legacy: boolean): Promise<Candidate[]> {
  const names: Candidate[] = COMMANDS.filter((c) => !c.hidden).map((c) => ({ value: c.name, description: c.summary }));
  if (!legacy) return names;
  const { LEGACY_VERBS } = await import('../legacy/index.js');
  return [...names, ...LEGACY_VERBS.map((v) => ({ value: v.name, description: firstLine(v.description) }))];
}

function firstLine(text: string): string {
  return text.split('\n')[0]!;
}
