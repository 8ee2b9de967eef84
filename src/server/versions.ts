// Lenient version ordering: `1.0` == `1.0.0`, 4-part versions compare part by
// part, a pre-release sorts before its release (semver's rule), build ignored.

function parse(v: string): { nums: number[]; pre: string } {
  const [core = '', pre = ''] = v.split('+', 1)[0]!.split(/-(.*)/s, 2) as [string?, string?];
  const nums = core.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : 0));
  return { nums, pre };
}

export function compareVersions(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  const len = Math.max(pa.nums.length, pb.nums.length);
  for (let i = 0; i < len; i++) {
    const d = (pa.nums[i] ?? 0) - (pb.nums[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  if (pa.pre === pb.pre) return 0;
  if (!pa.pre) return 1;
  if (!pb.pre) return -1;
  return comparePre(pa.pre, pb.pre);
}

function comparePre(a: string, b: string): number {
  const xs = a.split('.');
  const ys = b.split('.');
  for (let i = 0; i < Math.max(xs.length, ys.length); i++) {
    const x = xs[i];
    const y = ys[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn && Number(x) !== Number(y)) return Number(x) < Number(y) ? -1 : 1;
    if (xn !== yn) return xn ? -1 : 1;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Newest first. */
export const byVersionDesc = (a: string, b: string) => compareVersions(b, a);

/** A number as text that sorts by value: its digit count (two digits), then its digits without leading zeros. */
function sortableNumber(digits: string): string {
  const bare = digits.replace(/^0+(?=\d)/, '');
  return String(bare.length).padStart(2, '0') + bare;
}

/**
 * A key whose byte order is compareVersions' order, so the database can sort
 * and page packages (PostgreSQL compares it with COLLATE "C"). Four numeric
 * parts at least (`1.0` and `1.0.0` share a key); then `~` for a release,
 * which sorts after `!` and the pre-release identifiers of a pre-release:
 * numeric ones as `0<number>`, others as `1<text>`, separated by a space,
 * which sorts before every identifier character.
 */
export function versionSortKey(version: string): string {
  const { nums, pre } = parse(version);
  while (nums.length < 4) nums.push(0);
  const core = nums.map((n) => sortableNumber(String(n))).join('.');
  if (!pre) return `${core}~`;
  const ids = pre.split('.').map((id) => (/^\d+$/.test(id) ? `0${sortableNumber(id)}` : `1${id}`));
  return `${core}!${ids.join(' ')}`;
}
