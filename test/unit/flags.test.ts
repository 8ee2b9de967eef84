import { describe, expect, it } from 'vitest';
import { FlagError, FlagSet, HelpRequested, parseGoInt } from '../../src/cli/flags.js';

function flagSet(): FlagSet {
  return new FlagSet('t').string('app-id', '', 'app').bool('publish', false, 'pub').int('count', -1, 'n').float('percent', -1, 'p');
}

describe('Go flag semantics', () => {
  it('treats -x and --x alike, with = or a separate value', () => {
    const f = flagSet();
    f.parse(['-app-id', 'a', '--count=3', '-percent', '12.5']);
    expect([f.getString('app-id'), f.getNumber('count'), f.getNumber('percent')]).toEqual(['a', 3, 12.5]);
  });

  it('never lets a bool flag take the next word, and stops at the first positional', () => {
    const f = flagSet();
    f.parse(['--publish', 'false', '--app-id=x']);
    expect(f.getBool('publish')).toBe(true);
    expect(f.isSet('app-id')).toBe(false);
    expect(f.positionals).toEqual(['false', '--app-id=x']);
  });

  it('accepts Go boolean spellings after =', () => {
    const f = flagSet();
    f.parse(['--publish=F']);
    expect(f.getBool('publish')).toBe(false);
    expect(() => flagSet().parse(['--publish=yes'])).toThrow('invalid boolean value "yes" for -publish: parse error');
  });

  it('lets the last repeated flag win and counts an empty value as given', () => {
    const f = flagSet();
    f.parse(['--app-id=first', '--app-id=second']);
    expect(f.getString('app-id')).toBe('second');
    const g = flagSet();
    g.parse(['--app-id=']);
    expect(g.isSet('app-id')).toBe(true);
  });

  it('ends flags at --', () => {
    const f = flagSet();
    f.parse(['--', '--app-id=x']);
    expect(f.positionals).toEqual(['--app-id=x']);
  });

  it('words errors as Go does', () => {
    expect(() => flagSet().parse(['--bogus'])).toThrow(new FlagError('flag provided but not defined: -bogus'));
    expect(() => flagSet().parse(['--percent=abc'])).toThrow('invalid value "abc" for flag -percent: parse error');
    expect(() => flagSet().parse(['--app-id'])).toThrow('flag needs an argument: -app-id');
    expect(() => flagSet().parse(['---x'])).toThrow('bad flag syntax: ---x');
    expect(() => flagSet().parse(['-h'])).toThrow(HelpRequested);
    expect(() => flagSet().parse(['--help'])).toThrow(HelpRequested);
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
