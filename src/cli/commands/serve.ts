// `serve`: runs the update service. The dispatcher hands its arguments to the
// server's own entry point (its settings are flags, environment and YAML, see
// docs/server.md); this spec only gives `help serve` something to show.
import type { CommandSpec } from '../command.js';

export const serve: CommandSpec = {
  name: 'serve',
  usage: '[OPTION]...',
  description: 'Start the update service. Run "serve --help" for its settings.',
};
