import pkg from '../../package.json' with { type: 'json' };

/** This clone's own version (printed by `--version` and in help). */
export const VERSION: string = pkg.version;
