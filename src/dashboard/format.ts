// Words and numbers for people: instance status, event names, times.
import { describeEvent } from '../omaha/events.js';

/** An instance's status from its last event (what the service records as its status). */
export function statusOf(type?: string, result?: string, errorCode?: string): string {
  if (!type) return 'checking in';
  switch (`${type}/${result ?? ''}`) {
    case '13/1':
      return 'downloading';
    case '14/1':
      return 'downloaded';
    case '3/1':
      return 'installed';
    case '800/1':
      return 'installed, completion prevented';
    case '3/2':
      return 'complete';
    case '3/0':
      return errorCode ? `error ${errorCode}` : 'error';
    case '1/0':
      return 'checking in';
    default:
      return describeEvent(Number(type), Number(result));
  }
}

/** "download started (13/1)" for a known pair, the descriptive name otherwise. */
export function eventLabel(type: string, result: string): string {
  const text = describeEvent(Number(type), Number(result));
  return text.startsWith('event ') ? text : `${text} (${type}/${result})`;
}

const pad = (n: number) => String(n).padStart(2, '0');

export function localTime(d: Date, withDate = true): string {
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return withDate ? `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}` : time;
}

export function ago(d: Date, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - d.getTime()) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

export function bucketLabel(ts: number, resolution: number): string {
  const d = new Date(ts * 1000);
  if (resolution >= 86400) return localTime(d).slice(0, 10);
  return localTime(d).slice(0, 16);
}

export function bytes(n: number): string {
  if (!n) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}
