import { describe, expect, it } from 'vitest';
import { FlagSet, parseGoInt } from '../../src/cli/flags.js';
import { goWordsToCommander, GoCommand, runTree, type Conventions } from '../../src/cli/go-command.js';

function flagSet(): FlagSet {
  return new FlagSet('t').string('app-id', '', 'app').bool('publish', false, 'pub').int('count', -1, 'n').float('percent', -1, 'p');
}

interface Outcome {
  status: number;
  flags: FlagSet;
  problem?: string;
  help?: string;
}

/** Parses `args` as one commander command declaring `flags`, the way every command of the CLI is parsed. */
async function parse(args: string[], flags = flagSet(), extra: Partial<Conventions> = {}): Promise<Outcome> {
  const command = new GoCommand('t').useFlags(flags);
  const outcome: Partial<Outcome> = {};
  command
    .useConventions({
      usage: () => 'the usage page\n',
      showUsage: (text) => (outcome.help = text),
      helpStatus: 2,
      flagError: (message) => {
        outcome.problem = message;
        return 2;
      },
      ...extra,
    })
    .run(() => {
      command.parsedFlags();
      return 0;
    });
  const status = await runTree(command, args);
  return { ...outcome, flags, status };
}

describe('Go flag semantics through commander', () => {
  it('treats -x and --x alike, with = or a separate value', async () => {
    const { flags: f, status } = await parse(['-app-id', 'a', '--count=3', '-percent', '12.5']);
    expect(status).toBe(0);
    expect([f.getString('app-id'), f.getNumber('count'), f.getNumber('percent')]).toEqual(['a', 3, 12.5]);
  });

  it('never lets a bool flag take the next word, and stops at the first positional', async () => {
    const { flags: f } = await parse(['--publish', 'false', '--app-id=x']);
    expect(f.getBool('publish')).toBe(true);
    expect(f.isSet('app-id')).toBe(false);
    expect(f.positionals).toEqual(['false', '--app-id=x']);
  });

  it('gives a value-taking flag the next word even when it looks like a flag', async () => {
    const { flags: f } = await parse(['--app-id', '--publish', '--count', '-5']);
    expect([f.getString('app-id'), f.getBool('publish'), f.getNumber('count')]).toEqual(['--publish', false, -5]);
  });

  it('accepts Go boolean spellings after =', async () => {
    expect((await parse(['--publish=F'])).flags.getBool('publish')).toBe(false);
    expect((await parse(['-publish=1'])).flags.getBool('publish')).toBe(true);
    const bad = await parse(['--publish=yes']);
    expect([bad.status, bad.problem]).toEqual([2, 'invalid boolean value "yes" for -publish: parse error']);
  });

  it('lets the last repeated flag win and counts an empty value as given', async () => {
    expect((await parse(['--app-id=first', '-app-id', 'second'])).flags.getString('app-id')).toBe('second');
    const empty = await parse(['--app-id=']);
    expect([empty.flags.isSet('app-id'), empty.flags.getString('app-id')]).toEqual([true, '']);
    expect((await parse([])).flags.isSet('app-id')).toBe(false);
  });

  it('ends flags at --', async () => {
    const { flags: f } = await parse(['--count=2', '--', '--app-id=x']);
    expect([f.getNumber('count'), f.isSet('app-id'), f.positionals]).toEqual([2, false, ['--app-id=x']]);
  });

  it('words errors as Go does', async () => {
    expect((await parse(['--bogus=1'])).problem).toBe('flag provided but not defined: -bogus');
    expect((await parse(['--percent=abc'])).problem).toBe('invalid value "abc" for flag -percent: parse error');
    expect((await parse(['--count', '1.5'])).problem).toBe('invalid value "1.5" for flag -count: parse error');
    expect((await parse(['--app-id'])).problem).toBe('flag needs an argument: -app-id');
    expect((await parse(['---x'])).problem).toBe('bad flag syntax: ---x');
    expect((await parse(['-=x'])).problem).toBe('bad flag syntax: -=x');
  });

  it('reports errors in the order Go meets them, and ignores what follows the first', async () => {
    expect((await parse(['--percent=abc', '--bogus'])).problem).toBe('invalid value "abc" for flag -percent: parse error');
    expect((await parse(['--bogus', '--percent=abc'])).problem).toBe('flag provided but not defined: -bogus');
    expect((await parse(['--count=x', '--help'])).problem).toBe('invalid value "x" for flag -count: parse error');
    const help = await parse(['--help', '--count=x']);
    expect([help.status, help.problem, help.help]).toEqual([2, undefined, 'the usage page\n']);
  });

  it('shows the usage for -h, -help, --h and --help unless the command defines them', async () => {
    for (const word of ['-h', '-help', '--h', '--help', '--help=false']) {
      expect(await parse([word])).toMatchObject({ status: 2, help: 'the usage page\n' });
    }
    const own = await parse(['-help'], new FlagSet('t').bool('help', false, 'own help'));
    expect([own.status, own.help, own.flags.getBool('help')]).toEqual([0, undefined, true]);
  });

  it('names the flag and the reason for a value a custom parser refuses', async () => {
    const days = new FlagSet('t').custom('days', 'string', {
      defValue: '30',
      usage: 'days',
      parse: (text) => {
        if (!/^\d+$/.test(text)) throw new Error('expected a whole number of days');
        return Number(text);
      },
    });
    expect((await parse(['--days', '7'], days)).flags.get('days')).toBe(7);
    expect((await parse(['--days=abc'], days)).problem).toBe('invalid value "abc" for flag -days: expected a whole number of days');
  });

  it('parses the 0.x way when flags may follow the arguments', async () => {
    const { flags: f } = await parse(['app', '1.0', '--count', '2', 'ignored'], flagSet(), { flagsAfterArguments: true });
    expect([f.getNumber('count'), f.positionals]).toEqual([2, ['ignored', 'app', '1.0']]);
  });

  it('selects a subcommand by the first word only, as the original dispatcher did', async () => {
    const ran: string[] = [];
    const conventions: Conventions = { usage: () => '', showUsage: () => {}, helpStatus: 2, flagError: () => 2, firstWordSelectsSubcommand: true };
    const parent = new GoCommand('create').useFlags(new FlagSet('create').string('file', '', 'file')).useConventions(conventions);
    parent.run(() => (ran.push(`create ${parent.parsedFlags().positionals.join(' ')}`), 0));
    const bulk = new GoCommand('bulk').useFlags(new FlagSet('bulk')).useConventions(conventions);
    bulk.run(() => (ran.push('bulk'), 0));
    parent.addCommand(bulk);
    await runTree(parent, ['bulk']);
    await runTree(parent, ['--file=x', 'bulk']);
    await runTree(parent, ['--', 'bulk']);
    expect(ran).toEqual(['bulk', 'create bulk', 'create bulk']);
  });

  it('rewrites Go words as commander words', () => {
    const kinds = (name: string) => ({ publish: 'bool', 'app-id': 'value' } as const)[name as 'publish' | 'app-id'];
    expect(goWordsToCommander(['-publish', '-app-id', 'a', 'rest', '-x'], kinds)).toEqual({ words: ['--publish=true', '--app-id=a', 'rest', '-x'] });
    expect(goWordsToCommander(['-publish', '-help', '-bogus'], kinds)).toEqual({ words: ['--publish=true', '-h'] });
  });

  it('parses integers like strconv.ParseInt with base 0', () => {
    expect([parseGoInt('0x10'), parseGoInt('010'), parseGoInt('0b11'), parseGoInt('1_000'), parseGoInt('-7')]).toEqual([16, 8, 3, 1000, -7]);
    expect(parseGoInt('1.5')).toBeUndefined();
    expect(parseGoInt('99999999999999999999')).toBeUndefined();
  });

  it('prints defaults in the layout of Go PrintDefaults', () => {
    const f = new FlagSet('x').bool('debug', false, 'Debug').string('server', 'http://localhost:8000', 'Server').string('key', '', 'Key');
    expect(f.printDefaults()).toBe(
      '  -debug\n    \tDebug\n  -key string\n    \tKey\n  -server string\n    \tServer (default "http://localhost:8000")\n',
    );
  });
});
