// Pieces of the Omaha reply: the update manifest for a package, and daystart.
import type { DayStart, OmahaAction, ResponseUpdateCheck } from '../../omaha/index.js';
import type { PackageInfo } from './decide.js';

/** Default payload name when a package URL ends in '/' (CoreOS's name). */
const DEFAULT_PAYLOAD_NAME = 'update.gz';

/**
 * Splits a package URL into `codebase` (its directory, ending in '/') and the
 * payload name. A URL relative to the service (`/packages/x.gz`) is made
 * absolute with the service's public base URL.
 */
export function splitPackageUrl(url: string, baseUrl: string): { codebase: string; name: string } {
  const absolute = url.startsWith('/') ? `${baseUrl}${url}` : url;
  const cut = absolute.lastIndexOf('/');
  if (cut < 0) return { codebase: `${baseUrl}/`, name: absolute || DEFAULT_PAYLOAD_NAME };
  const name = absolute.slice(cut + 1);
  return { codebase: absolute.slice(0, cut + 1), name: name || DEFAULT_PAYLOAD_NAME };
}

/** `<updatecheck status="ok">` with everything update_engine needs. */
export function updateManifest(pkg: PackageInfo, baseUrl: string): ResponseUpdateCheck {
  const { codebase, name } = splitPackageUrl(pkg.url, baseUrl);
  const action: OmahaAction = {
    event: 'postinstall',
    chromeOsVersion: '',
    sha256: pkg.sha256Sum,
    needsAdmin: false,
    isDelta: false,
    disablePayloadBackoff: true,
  };
  if (pkg.metadataSignatureRsa) action.metadataSignatureRsa = pkg.metadataSignatureRsa;
  if (/^\d{1,15}$/.test(pkg.metadataSize)) action.metadataSize = Number(pkg.metadataSize);
  return {
    status: 'ok',
    urls: [codebase],
    manifest: {
      version: pkg.version,
      packages: [{ name, hash: pkg.sha1Sum, size: pkg.size, required: pkg.required }],
      actions: [action],
    },
  };
}

const OMAHA_EPOCH = Date.UTC(2007, 0, 1);
const DAY_MS = 86_400_000;

/** Seconds since (UTC) midnight and days since 2007-01-01, as Omaha servers send. */
export function dayStart(now: number): DayStart {
  return {
    elapsedSeconds: Math.floor((now % DAY_MS) / 1000),
    elapsedDays: Math.floor((now - OMAHA_EPOCH) / DAY_MS),
  };
}
