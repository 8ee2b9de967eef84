// 0.x flags: each may have several spellings (`server, s`), any of which sets
// it, given with Go `flag` syntax. Kept free of other imports: the global
// flags of `updatectl` are built from it on the fast `--version` path.
import { FlagError, FlagSet, type FlagKind, type FlagValue } from '../flags.js';

/** One 0.x flag: `names` as the original declared them, long first (`interval, i`). */
export interface LegacyFlag {
  names: string;
  kind: Exclude<FlagKind, 'float'>;
  def: string | number | boolean;
  usage: string;
  /** Parsed but left out of help (extensions beyond 0.x). */
  hidden?: boolean;
}

export function aliasesOf(flag: LegacyFlag): string[] {
  return flag.names.split(',').map((n) => n.trim());
}

/** A Go flag set that defines every spelling of every flag. */
export function aliasFlagSet(name: string, flags: LegacyFlag[]): FlagSet {
  const set = new FlagSet(name);
  for (const flag of flags) {
    for (const alias of aliasesOf(flag)) {
      if (flag.kind === 'string') set.string(alias, String(flag.def), flag.usage);
      else if (flag.kind === 'int') set.int(alias, Number(flag.def), flag.usage);
      else set.bool(alias, Boolean(flag.def), flag.usage);
    }
  }
  return set;
}

/** Reads parsed 0.x flags by any spelling; two spellings of one flag is an error, as in 0.x. */
export class AliasedFlags {
  private readonly byName = new Map<string, LegacyFlag>();

  constructor(
    readonly set: FlagSet,
    flags: LegacyFlag[],
  ) {
    for (const flag of flags) for (const alias of aliasesOf(flag)) this.byName.set(alias, flag);
    for (const flag of flags) {
      const given = this.given(flag);
      if (given.length > 1) throw new FlagError(`Cannot use two forms of the same flag: ${given.join(' ')}`);
    }
  }

  private given(flag: LegacyFlag): string[] {
    return aliasesOf(flag).filter((a) => this.set.isSet(a));
  }

  isSet(name: string): boolean {
    const flag = this.byName.get(name);
    return flag !== undefined && this.given(flag).length > 0;
  }

  value(name: string): FlagValue {
    const flag = this.byName.get(name);
    if (!flag) return '';
    const alias = this.given(flag)[0];
    if (alias === undefined) return flag.def;
    if (flag.kind === 'string') return this.set.getString(alias);
    if (flag.kind === 'int') return this.set.getNumber(alias);
    return this.set.getBool(alias);
  }
}
