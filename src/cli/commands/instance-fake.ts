// `instance fake`: simulated update clients that talk Omaha to the server.
// Only the command's interface is here so far; the simulation comes later.
import { allSet, ExitCode, type CommandSpec } from '../command.js';

export const instanceFake: CommandSpec = {
  name: 'instance fake',
  summary: 'Simulate update clients.',
  usage: '[OPTION]...',
  description: 'Run simulated instances that check for updates and report progress until interrupted.',
  defineFlags: (f) =>
    f
      .string('app-id', '', 'Application the instances run.')
      .string('group-id', '', 'Group (track) the instances belong to.')
      .int('clients-per-app', 20, 'How many instances to simulate.')
      .int('min-sleep', 1, 'Shortest pause between update checks, in seconds.')
      .int('max-sleep', 10, 'Longest pause between update checks, in seconds.')
      .int('errorrate', 1, 'Chance in percent (0-100) that an update step fails.')
      .string('oem', 'fakeclient', 'OEM name the instances report.')
      .int('ping-only', 0, 'After an update, only send this many pings before reporting it done.')
      .string('version', '0.0.0', 'Version the instances start at.')
      .bool('force-update', false, 'Ask for updates even when the group is rate limited.')
      .bool('verbose', false, 'Print each request and reply.'),
  run: (f) => {
    if (!allSet(f, 'app-id', 'group-id')) return ExitCode.USAGE;
    throw new Error('instance fake: not implemented yet');
  },
};
