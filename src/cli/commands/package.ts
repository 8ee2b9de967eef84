// `package`: list, create (one or from a download folder), delete, download
// and upload packages. The larger commands live in package-*.ts.
import type { ApiClient } from '../../api/client.js';
import { allSet, ExitCode, type CommandSpec, type Deps } from '../command.js';
import { FlagError, type FlagSet } from '../flags.js';
import { printerOf, type Printer } from '../render.js';
import { PACKAGE_COLUMNS } from './package-common.js';
import { createPackage, createPackagesFromDir, normalizeDigest, type ExplicitMetadata } from './package-create.js';
import { downloadPackages } from './package-download.js';
import { uploadCommand, uploadDirectory } from './package-upload.js';

type PackageDeps = { client: ApiClient; print: Printer };

export async function listPackages(appId: string, { client, print }: PackageDeps): Promise<number> {
  const list = await client.listPackages(appId);
  await print.list(PACKAGE_COLUMNS, list.items ?? []);
  return ExitCode.OK;
}

export async function deletePackage(appId: string, version: string, { client, print }: PackageDeps): Promise<number> {
  await print.item(PACKAGE_COLUMNS, await client.deletePackage(appId, version));
  return ExitCode.OK;
}

/** The explicit-metadata flags of `package create`; a bad value is a flag error (stderr, usage, exit 2). */
function explicitMetadata(f: FlagSet): ExplicitMetadata {
  const given = (name: string) => (f.isSet(name) ? f.getString(name) : undefined);
  const size = f.isSet('size') ? f.getNumber('size') : undefined;
  if (size !== undefined && size < 0) throw new Error(`invalid value "${size}" for flag -size: a size cannot be negative`);
  const sha1 = given('sha1sum');
  const sha256 = given('sha256sum');
  return {
    size,
    sha1Sum: sha1 === undefined ? undefined : normalizeDigest('sha1sum', sha1),
    sha256Sum: sha256 === undefined ? undefined : normalizeDigest('sha256sum', sha256),
    metadataSignatureRsa: given('metadata-signature-rsa'),
    metadataSize: given('metadata-size'),
  };
}

async function runCreate(f: FlagSet, d: Deps): Promise<number> {
  if (!allSet(f, 'app-id', 'version')) return ExitCode.USAGE;
  let explicit: ExplicitMetadata;
  try {
    explicit = explicitMetadata(f);
  } catch (err) {
    // a bad value: reported as a flag error (the message, then the usage)
    throw new FlagError((err as Error).message);
  }
  return createPackage(
    {
      appId: f.getString('app-id'),
      version: f.getString('version'),
      url: f.getString('url'),
      file: f.getString('file'),
      meta: f.getString('meta'),
      releaseNotes: f.getString('release-notes'),
      explicit,
    },
    { client: d.client(), print: printerOf(d), cwd: d.cwd, log: d.log },
  );
}

/** A filter flag's value, or undefined when it was not given. */
const filter = (f: FlagSet, name: string) => (f.isSet(name) ? f.getString(name) : undefined);

export const pkg: CommandSpec = {
  name: 'package',
  description: 'Work with the packages (versioned payloads) of an application.',
  subcommands: [
    {
      name: 'package list',
      summary: 'List the packages of an application.',
      usage: '[OPTION]...',
      description: "Show every package of an application: version, payload URL and size.",
      defineFlags: (f) => f.string('app-id', '', 'Application whose packages to list.'),
      run: (f, d) => (allSet(f, 'app-id') ? listPackages(f.getString('app-id'), { client: d.client(), print: printerOf(d) }) : ExitCode.USAGE),
    },
    {
      name: 'package create',
      summary: 'Register a package for an application.',
      usage: '[OPTION]...',
      description:
        'Register a package version; size and checksums come from a local --file, or from --size/--sha1sum/--sha256sum.',
      defineFlags: (f) =>
        f
          .string('app-id', '', 'Application the package belongs to.')
          .string('version', '', 'Version of the application this package carries.')
          .string('url', '', 'Where clients download the payload from.')
          .string('file', '', 'Local payload file to measure and hash (not uploaded), or an image reference / URL.')
          .string('meta', '', 'JSON file with metadata_size and metadata_signature_rsa.')
          .string('release-notes', '', 'File holding the release notes.')
          .int('size', 0, 'Payload size in bytes (when there is no local file).')
          .string('sha1sum', '', 'SHA-1 of the payload, base64 or hex (when there is no local file).')
          .string('sha256sum', '', 'SHA-256 of the payload, base64 or hex (when there is no local file).')
          .string('metadata-signature-rsa', '', 'RSA signature of the payload metadata (overrides --meta).')
          .string('metadata-size', '', 'Size of the payload metadata (overrides --meta).'),
      run: runCreate,
      subcommands: [
        {
          name: 'package create bulk',
          summary: 'Register the packages of a download folder.',
          usage: '[OPTION]...',
          description: "Register every package described by the *info.json files that 'package download' wrote.",
          defineFlags: (f) =>
            f
              .string('dir', '', 'Folder holding the *info.json files (default: the working directory).')
              .string('base-url', '', 'Base URL the payloads will be served from; package URLs are rewritten to it.'),
          run: (f, d) =>
            createPackagesFromDir(
              { dir: f.getString('dir'), baseUrl: f.getString('base-url') },
              { client: d.client(), cwd: d.cwd, log: d.log, stdout: d.stdout, stderr: d.stderr, format: d.globals.output },
            ),
        },
      ],
    },
    {
      name: 'package delete',
      summary: 'Delete a package.',
      usage: '[OPTION]...',
      description: 'Remove one package version from an application.',
      defineFlags: (f) =>
        f.string('app-id', '', 'Application the package belongs to.').string('version', '', 'Version of the package to delete.'),
      run: (f, d) =>
        allSet(f, 'app-id', 'version')
          ? deletePackage(f.getString('app-id'), f.getString('version'), { client: d.client(), print: printerOf(d) })
          : ExitCode.USAGE,
    },
    {
      name: 'package download',
      summary: 'Download published payloads.',
      usage: '[OPTION]...',
      description: 'Save published payloads, verified, with their metadata beside them; valid copies already there are kept.',
      defineFlags: (f) =>
        f
          .string('app-id', '', 'Only packages of this application. (optional)')
          .string('dir', '', 'Folder to save into (created if missing; default: the working directory).')
          .string('min-version', '', 'Only versions at or above this one. (optional, not with -version)')
          .string('version', '', 'Only this version. (optional, not with -min-version)'),
      run: (f, d) =>
        downloadPackages(
          { appId: filter(f, 'app-id'), version: filter(f, 'version'), minVersion: filter(f, 'min-version'), dir: f.getString('dir') },
          { client: d.client(), stdout: d.stdout, stderr: d.stderr, cwd: d.cwd, log: d.log, format: d.globals.output },
        ),
    },
    {
      name: 'package upload',
      summary: 'Upload a payload file to the server.',
      usage: '[OPTION]...',
      description: 'Send a payload file to the server (the server must have uploads enabled).',
      defineFlags: (f) => f.string('file', '', 'Payload file to upload.'),
      run: (f, d) => uploadCommand(f.getString('file'), { client: d.client(), print: printerOf(d), cwd: d.cwd, stderr: d.stderr }),
      subcommands: [
        {
          name: 'package upload bulk',
          summary: 'Upload every file of a folder.',
          usage: '[OPTION]...',
          description: 'Send every file of a folder to the server (the server must have uploads enabled).',
          defineFlags: (f) => f.string('dir', '', 'Folder whose files to upload.'),
          run: (f, d) =>
            uploadDirectory(f.getString('dir'), { client: d.client(), print: printerOf(d), cwd: d.cwd, stderr: d.stderr, log: d.log }),
        },
      ],
    },
  ],
};
