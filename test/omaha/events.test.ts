import { describe, expect, it } from 'vitest';
import {
  ERROR_CODE_MASK,
  EventResult,
  EventType,
  describeEvent,
  errorCodeFlags,
  isKnownEvent,
  maskErrorCode,
} from '../../src/omaha/index.js';

describe('event codes', () => {
  it('names the codes clients send', () => {
    expect(EventType.UpdateDownloadStarted).toBe(13);
    expect(EventType.UpdateDownloadFinished).toBe(14);
    expect(EventType.UpdateComplete).toBe(3);
    expect(EventType.CompletionPrevented).toBe(800);
    expect(EventType.DownloadComplete).toBe(1);
    expect(EventResult.Error).toBe(0);
    expect(EventResult.Success).toBe(1);
    expect(EventResult.SuccessReboot).toBe(2);
  });

  it('describes the known pairs', () => {
    expect(describeEvent(13, 1)).toBe('download started');
    expect(describeEvent(14, 1)).toBe('download finished');
    expect(describeEvent(3, 1)).toBe('update applied, reboot pending');
    expect(describeEvent(800, 1)).toBe('install success, completion prevented by the instance');
    expect(describeEvent(3, 2)).toBe('updated and rebooted, running the new version');
    expect(describeEvent(3, 0)).toBe('error during an update step');
    expect(describeEvent(1, 0)).toBe('update check (watch)');
    for (const [type, result] of [[13, 1], [14, 1], [3, 1], [800, 1], [3, 2], [3, 0], [1, 0]] as const) {
      expect(isKnownEvent(type, result)).toBe(true);
    }
  });

  it('describes unknown pairs without failing', () => {
    expect(isKnownEvent(14, 0)).toBe(false);
    expect(describeEvent(14, 0)).toBe('event 14/0 (UpdateDownloadFinished, Error)');
    expect(describeEvent(4242, 99)).toBe('event 4242/99 (unknown type, unknown result)');
  });

  it('masks update_engine flag bits off error codes', () => {
    expect(ERROR_CODE_MASK).toBe(0x0fffffff);
    expect(maskErrorCode(2000)).toBe(2000);
    expect(maskErrorCode((1 << 28) | 7)).toBe(7);
    expect(errorCodeFlags((1 << 28) | 7)).toBe(1 << 28);
    // Bit 31 set: printed negative by a client that formats a signed int.
    expect(maskErrorCode(-2147483648 | 52)).toBe(52);
    expect(errorCodeFlags(-2147483648 | 52)).toBe(0x80000000);
  });
});
