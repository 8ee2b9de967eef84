// The packages' sort key orders versions exactly as compareVersions does, so
// the database's ORDER BY and keyset paging agree with the API's version order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareVersions, versionSortKey } from '../../src/server/versions.js';

const numericPart = fc.oneof(fc.constantFrom('0', '1', '2', '9', '10', '11', '100'), fc.integer({ min: 0, max: 999_999_999 }).map(String));
const identifier = fc.oneof(
  fc.constantFrom('alpha', 'beta', 'rc', 'a-b', 'a', 'A', 'Z', '0', '1', '10', '007'),
  fc.stringMatching(/^[0-9A-Za-z-]{1,6}$/),
);
/** Versions as the API accepts them: 1 to 4 numeric parts, an optional pre-release, an optional build. */
const version = fc
  .tuple(
    fc.array(numericPart, { minLength: 1, maxLength: 4 }),
    fc.option(fc.array(identifier, { minLength: 1, maxLength: 3 }), { nil: undefined }),
    fc.option(fc.stringMatching(/^[0-9A-Za-z]{1,5}$/), { nil: undefined }),
  )
  .map(([nums, pre, build]) => nums.join('.') + (pre ? `-${pre.join('.')}` : '') + (build ? `+${build}` : ''));

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);
const byteOrder = (a: string, b: string) => sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));

describe('versionSortKey', () => {
  it('byte order of the keys is compareVersions order', () => {
    fc.assert(
      fc.property(version, version, (a, b) => {
        expect(byteOrder(versionSortKey(a), versionSortKey(b)), `${a} vs ${b}`).toBe(sign(compareVersions(a, b)));
      }),
      { numRuns: 5000, seed: 20261130 },
    );
  });

  it('orders the usual cases', () => {
    const sorted = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.0.1', '1.2', '1.10.0', '2.0.0.1', '10.0.0'];
    const shuffled = [...sorted].reverse();
    shuffled.sort((a, b) => byteOrder(versionSortKey(a), versionSortKey(b)));
    expect(shuffled).toEqual(sorted);
    expect(versionSortKey('1.0')).toBe(versionSortKey('1.0.0+build7'));
  });
});
