// Output conventions of the original CLI: Go's `log` lines on stderr, Go's
// float formatting, and Go's JSON encoding where the CLI echoes objects.

/** `YYYY/MM/DD HH:MM:SS ` in local time, as Go's log.LstdFlags prints it. */
export function logStamp(date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}/${p(date.getMonth() + 1)}/${p(date.getDate())} ${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())} `;
}

/** A log line as Go's log.Print writes it: stamp, message, newline unless present. */
export function logLine(message: string, date = new Date()): string {
  return logStamp(date) + message + (message.endsWith('\n') ? '' : '\n');
}

/** Go's `%v` of a float64: shortest digits, exponent form below 1e-4 or from 1e6 (strconv 'g', -1). */
export function goFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mantissa, expText] = x.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  // JavaScript's own shortest form is plain decimal in this range
  return String(x);
}

/** Go's `%f`: six decimals. */
export function goFixed(x: number, decimals = 6): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  return x.toFixed(decimals);
}

/**
 * Go's json.MarshalIndent(v, "", " ") for plain objects: keys in the given
 * order, HTML-sensitive characters escaped as Go does by default.
 */
export function goJsonIndent(value: unknown): string {
  return JSON.stringify(value, null, 1).replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}
