// Go `flag` package semantics, which the original CLI's users rely on:
// `-x` equals `--x`, a bool flag never consumes the next word, parsing stops
// at the first positional argument (or `--`), and the last repeated flag wins.
// A FlagSet declares a command's flags (name, kind, Go default, usage) and
// holds their values once parsed; commander does the parsing, through the
// translation in go-command.ts. The value parsers here (strconv's rules,
// Go's error wording) are what commander calls for each value.

export type FlagKind = 'string' | 'bool' | 'int' | 'float';

export interface FlagDef {
  name: string;
  kind: FlagKind;
  usage: string;
  /** Default as Go prints it in `--name=<default>` help lines. */
  defValue: string;
  /** Hidden flags parse but stay out of help (extensions beyond the original). */
  hidden?: boolean;
  /**
   * Reads a value instead of the kind's Go rule; throws an Error whose message
   * says what is wrong with it (the flag error names the flag and the value).
   */
  parse?: (text: string) => FlagValue;
}

export type FlagValue = string | boolean | number;

/** A parse failure; `message` is exactly what Go prints on stderr. */
export class FlagError extends Error {}

const BOOL_WORDS: Record<string, boolean> = {
  '1': true, t: true, T: true, TRUE: true, true: true, True: true,
  '0': false, f: false, F: false, FALSE: false, false: false, False: false,
};

/** strconv.ParseInt(s, 0, 64): optional sign, 0x/0o/0b/0 prefixes, `_` separators. */
export function parseGoInt(text: string): number | undefined {
  // underscores may only separate digits (or follow a base prefix), as in Go literals
  const m = /^([+-]?)(0[xX]_?[0-9a-fA-F]+(?:_[0-9a-fA-F]+)*|0[oO]_?[0-7]+(?:_[0-7]+)*|0[bB]_?[01]+(?:_[01]+)*|0_?[0-7]+(?:_[0-7]+)*|[1-9][0-9]*(?:_[0-9]+)*|0)$/.exec(text);
  if (!m) return undefined;
  let body = m[2]!.replace(/_/g, '');
  if (/^0[0-7]+$/.test(body)) body = '0o' + body.slice(1);
  let value = BigInt(body);
  if (m[1] === '-') value = -value;
  if (value > 9223372036854775807n || value < -9223372036854775808n) return undefined;
  return Number(value);
}

/** strconv.ParseFloat(s, 64), close enough for flag values: decimal, exponent, inf, nan. */
export function parseGoFloat(text: string): number | undefined {
  const t = text.replace(/(\d)_(?=\d)/g, '$1');
  if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(t)) return NaN;
  if (/^0[xX]/.test(t.replace(/^[+-]/, ''))) return undefined;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return undefined;
  return Number(t);
}

export class FlagSet {
  private readonly defs = new Map<string, FlagDef>();
  private readonly values = new Map<string, FlagValue>();
  private readonly given = new Set<string>();
  positionals: string[] = [];
  /** Required flags the command found missing (see allSet). */
  readonly missing: string[] = [];

  constructor(readonly name: string) {}

  string(name: string, def: string, usage: string, hidden = false): this {
    return this.define({ name, kind: 'string', usage, defValue: def, hidden }, def);
  }

  bool(name: string, def: boolean, usage: string, hidden = false): this {
    return this.define({ name, kind: 'bool', usage, defValue: String(def), hidden }, def);
  }

  int(name: string, def: number, usage: string, hidden = false): this {
    return this.define({ name, kind: 'int', usage, defValue: String(def), hidden }, def);
  }

  float(name: string, def: number, usage: string, hidden = false): this {
    return this.define({ name, kind: 'float', usage, defValue: String(def), hidden }, def);
  }

  /** A flag with its own value parser; a `bool` one still never takes the next word. */
  custom(name: string, kind: 'string' | 'bool', opts: { defValue: string; usage: string; parse: (text: string) => FlagValue; hidden?: boolean }): this {
    return this.define({ name, kind, usage: opts.usage, defValue: opts.defValue, hidden: opts.hidden, parse: opts.parse }, kind === 'bool' ? false : '');
  }

  private define(def: FlagDef, value: FlagValue): this {
    this.defs.set(def.name, def);
    this.values.set(def.name, value);
    return this;
  }

  /** Flags in Go's VisitAll order: sorted by name. */
  list(): FlagDef[] {
    return [...this.defs.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  has(name: string): boolean {
    return this.defs.has(name);
  }

  /** True when the flag appeared on the command line (even as `--x=`). */
  isSet(name: string): boolean {
    return this.given.has(name);
  }

  getString(name: string): string {
    return this.values.get(name) as string;
  }

  getBool(name: string): boolean {
    return this.values.get(name) as boolean;
  }

  getNumber(name: string): number {
    return this.values.get(name) as number;
  }

  /** The value of a flag of any kind (a custom one's parsed value). */
  get(name: string): FlagValue {
    return this.values.get(name)!;
  }

  /** Records a value parsed from the command line (the flag counts as given). */
  assign(name: string, value: FlagValue): void {
    this.values.set(name, value);
    this.given.add(name);
  }

  /** A flag's value from its text, by the flag's rule; throws FlagError worded as Go's. */
  valueOf(name: string, text: string): FlagValue {
    const def = this.defs.get(name)!;
    if (def.parse) {
      try {
        return def.parse(text);
      } catch (err) {
        throw new FlagError(`invalid value "${text}" for flag -${name}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    if (def.kind === 'bool') {
      const b = BOOL_WORDS[text];
      if (b === undefined) throw new FlagError(`invalid boolean value "${text}" for -${name}: parse error`);
      return b;
    }
    return this.convert(def, text);
  }

  private convert(def: FlagDef, value: string): FlagValue {
    if (def.kind === 'string') return value;
    const n = def.kind === 'int' ? parseGoInt(value) : parseGoFloat(value);
    if (n === undefined) throw new FlagError(`invalid value "${value}" for flag -${def.name}: parse error`);
    return n;
  }

  /**
   * Go's PrintDefaults layout, used for the global flag set's `Usage of …`
   * text on stderr: `  -name type` then the usage on an indented line.
   */
  printDefaults(): string {
    let out = '';
    for (const def of this.list()) {
      if (def.hidden) continue;
      let line = `  -${def.name}`;
      const typeName = def.kind === 'bool' ? '' : def.kind;
      if (typeName) line += ` ${typeName}`;
      line += line.length <= 4 ? '\t' : '\n    \t';
      line += def.usage.replaceAll('\n', '\n    \t');
      if (!isZeroDefault(def)) {
        line += def.kind === 'string' ? ` (default ${JSON.stringify(def.defValue)})` : ` (default ${def.defValue})`;
      }
      out += line + '\n';
    }
    return out;
  }
}

function isZeroDefault(def: FlagDef): boolean {
  return def.defValue === '' || def.defValue === 'false' || def.defValue === '0';
}
