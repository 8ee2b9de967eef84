// 0.x package verbs: list-packages, new-package.
import { ExitCode, type Deps } from '../command.js';
import { PACKAGE_COLUMNS } from '../commands/package-common.js';
import { buildPackage, normalizeDigest, type ExplicitMetadata } from '../commands/package-create.js';
import { goJsonIndent } from '../output.js';
import { printerOf, rowsOnly } from '../render.js';
import { usageFailure, type LegacyInput, type LegacyVerb } from './verb.js';

async function listPackages(input: LegacyInput, d: Deps): Promise<number> {
  if (input.args.length !== 1) return usageFailure(d, 'usage: <appid>');
  const list = await d.client().listPackages(input.args[0]!);
  await printerOf(d).list(PACKAGE_COLUMNS, list.items ?? [], {
    // the original's heading has an extra tab, and it flushed after every row,
    // so each row is aligned on its own
    text: (out, packages) => {
      out.write('Version\t\tURL\tSize\n');
      for (const pkg of packages) {
        rowsOnly(PACKAGE_COLUMNS)(out, [pkg]);
        out.flush();
      }
    },
  });
  return ExitCode.OK;
}

/** The metadata flags of seed 002's syntax; any of them means "no local payload to hash". */
const SEED_FLAGS = ['name', 'path', 'size', 'sha1sum', 'sha256sum', 'signature', 'metadata-size'];

function explicitMetadata(input: LegacyInput): ExplicitMetadata {
  const given = (name: string) => (input.isSet(name) ? input.str(name) : undefined);
  const size = given('size');
  if (size !== undefined && !/^\d+$/.test(size)) throw new Error(`invalid value "${size}" for flag -size: not a number of bytes`);
  const sha1 = given('sha1sum');
  const sha256 = given('sha256sum');
  return {
    size: size === undefined ? undefined : Number(size),
    sha1Sum: sha1 === undefined ? undefined : normalizeDigest('sha1sum', sha1),
    sha256Sum: sha256 === undefined ? undefined : normalizeDigest('sha256sum', sha256),
    metadataSignatureRsa: given('signature'),
    metadataSize: given('metadata-size'),
  };
}

/**
 * `new-package [OPTION]... <appId> [<version>]`. Two spellings: the 0.1.2 one
 * hashes a local payload (`--file`, `--meta`, `--version`, `--url`); the one
 * of seed 002 gives the metadata on the command line (`--path` is the package
 * URL, `--signature`/`--metadata-size` the update metadata, `--name` the
 * payload name, which the v1 API derives from the URL and so does not carry).
 */
async function newPackage(input: LegacyInput, d: Deps): Promise<number> {
  const { client, cwd, log } = d;
  const print = printerOf(d);
  if (input.args.length !== 1 && input.args.length !== 2) return usageFailure(d, 'usage: <appid>');
  const appId = input.args[0]!;
  const version = input.args[1] ?? input.str('version');
  const fromFlags = SEED_FLAGS.some((f) => input.isSet(f));
  const pkg = await buildPackage(
    {
      appId,
      version,
      url: input.str('path') || input.str('url'),
      file: fromFlags ? '' : input.str('file'),
      meta: fromFlags ? '' : input.str('meta'),
      releaseNotes: '',
      explicit: fromFlags ? explicitMetadata(input) : {},
    },
    { client: client(), print, cwd, log },
  );
  print.note(goJsonIndent(pkg) + '\n');
  const created = await client().insertPackage(appId, version, pkg);
  print.message(`${appId} ${version}\n`, created);
  return ExitCode.OK;
}

export const PACKAGE_VERBS: LegacyVerb[] = [
  {
    name: 'list-packages',
    usage: 'list-packages <appId>',
    description: 'Show the package versions of an application with their URL and size.',
    run: listPackages,
  },
  {
    name: 'new-package',
    usage: 'new-package [OPTION]... <appId>',
    description: 'Register a package version, from a local payload or from metadata given as flags.',
    flags: [
      { names: 'version', kind: 'string', def: '', usage: 'version of the package (or the second argument)' },
      { names: 'url', kind: 'string', def: '', usage: 'where clients download the payload' },
      { names: 'file', kind: 'string', def: 'update.gz', usage: 'local payload to measure and hash' },
      { names: 'meta', kind: 'string', def: 'update.meta', usage: 'JSON file with metadata_size and metadata_signature_rsa' },
      { names: 'name', kind: 'string', def: '', usage: 'payload name (taken from the URL by the service)' },
      { names: 'path', kind: 'string', def: '', usage: 'package URL or image reference' },
      { names: 'size', kind: 'string', def: '', usage: 'payload size in bytes' },
      { names: 'sha1sum', kind: 'string', def: '', usage: 'SHA-1 of the payload (hex or base64)' },
      { names: 'sha256sum', kind: 'string', def: '', usage: 'SHA-256 of the payload (hex or base64)' },
      { names: 'signature', kind: 'string', def: '', usage: 'RSA signature of the update metadata' },
      { names: 'metadata-size', kind: 'string', def: '', usage: 'size of the update metadata in bytes' },
    ],
    run: newPackage,
  },
];
