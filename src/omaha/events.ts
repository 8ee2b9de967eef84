// Omaha event codes: the (type, result) pairs update clients report, and the
// errorcode mask. Unknown pairs are legitimate: record and acknowledge them.

/** `eventtype` values (Omaha's list, plus 800 used by CoreOS clients). */
export const EventType = {
  Unknown: 0,
  DownloadComplete: 1,
  InstallComplete: 2,
  /** update_engine: the update step (apply, reboot, error) of an update. */
  UpdateComplete: 3,
  Uninstall: 4,
  DownloadStarted: 5,
  InstallStarted: 6,
  NewApplicationInstallStarted: 9,
  SetupStarted: 10,
  SetupFinished: 11,
  UpdateApplicationStarted: 12,
  UpdateDownloadStarted: 13,
  UpdateDownloadFinished: 14,
  UpdateInstallerStarted: 15,
  SetupUpdateBegin: 16,
  SetupUpdateComplete: 17,
  RegisterProductComplete: 20,
  OemInstallFirstCheck: 30,
  AppSpecificCommandStarted: 40,
  AppSpecificCommandEnded: 41,
  SetupFailure: 100,
  ComServerFailure: 102,
  SetupUpdateFailure: 103,
  /** Installed, but the instance prevented completing the update. */
  CompletionPrevented: 800,
} as const;
export type EventTypeCode = (typeof EventType)[keyof typeof EventType];

/** `eventresult` values. */
export const EventResult = {
  Error: 0,
  Success: 1,
  SuccessReboot: 2,
  SuccessRestartBrowser: 3,
  Cancelled: 4,
  ErrorInstallerMsi: 5,
  ErrorInstallerOther: 6,
  NoUpdate: 7,
  ErrorInstallerSystem: 8,
  UpdateDeferred: 9,
  HandoffError: 10,
} as const;
export type EventResultCode = (typeof EventResult)[keyof typeof EventResult];

/** update_engine ORs flag bits (e.g. 1<<28) into errorcode; the code is the low 28 bits. */
export const ERROR_CODE_MASK = 0x0fffffff;

/** The error code without update_engine's flag bits. */
export function maskErrorCode(code: number): number {
  return code & ERROR_CODE_MASK;
}

/** Just the flag bits of an errorcode (unsigned). */
export function errorCodeFlags(code: number): number {
  return (code & ~ERROR_CODE_MASK) >>> 0;
}

const key = (type: number, result: number) => `${type}/${result}`;

// What the pairs CoreOS clients send mean to an update service.
const KNOWN_PAIRS: ReadonlyMap<string, string> = new Map([
  [key(EventType.UpdateDownloadStarted, EventResult.Success), 'download started'],
  [key(EventType.UpdateDownloadFinished, EventResult.Success), 'download finished'],
  [key(EventType.UpdateComplete, EventResult.Success), 'update applied, reboot pending'],
  [key(EventType.CompletionPrevented, EventResult.Success), 'install success, completion prevented by the instance'],
  [key(EventType.UpdateComplete, EventResult.SuccessReboot), 'updated and rebooted, running the new version'],
  [key(EventType.UpdateComplete, EventResult.Error), 'error during an update step'],
  [key(EventType.DownloadComplete, EventResult.Error), 'update check (watch)'],
]);

function nameOf(table: Readonly<Record<string, number>>, code: number): string | undefined {
  for (const [name, value] of Object.entries(table)) if (value === code) return name;
  return undefined;
}

/** Is this one of the pairs update_engine, `instance fake` or `watch` send? */
export function isKnownEvent(type: number, result: number): boolean {
  return KNOWN_PAIRS.has(key(type, result));
}

/**
 * Human-readable meaning of an event, for logs and the CLI. Known pairs get
 * their meaning; anything else is named from the type and result tables.
 */
export function describeEvent(type: number, result: number): string {
  const known = KNOWN_PAIRS.get(key(type, result));
  if (known !== undefined) return known;
  const typeName = nameOf(EventType, type) ?? 'unknown type';
  const resultName = nameOf(EventResult, result) ?? 'unknown result';
  return `event ${type}/${result} (${typeName}, ${resultName})`;
}
