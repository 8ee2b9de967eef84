// `rollout`: show a group's automated rollout, create a linear one, and
// switch it on or off.
import type { ApiClient } from '../../api/client.js';
import type { Frame } from '../../api/types.js';
import { allSet, ExitCode, type CommandSpec, type Deps } from '../command.js';
import type { FlagSet } from '../flags.js';
import { goFixed } from '../output.js';
import { goInt64 } from '../output.js';
import { printerOf, type Columns, type Printer } from '../render.js';
import type { GroupRef } from './group.js';

type RolloutDeps = { client: ApiClient; print: Printer };

type FrameRow = { index: number; frame: Frame };

const FRAME_COLUMNS: Columns<FrameRow> = [
  ['Frame', (r) => r.index],
  ['Percent', (r) => goFixed(r.frame.percent ?? 0)],
  ['Duration', (r) => goInt64(r.frame.duration)],
];

/**
 * The frames of a linear rollout from 0 to 100 % over `duration` seconds in
 * steps of `frameSize` seconds (the last step may be shorter), plus a final
 * 100 % frame without a duration that ends the rollout. The percentage is
 * accumulated step by step in floating point exactly as the original did, so
 * the frames carry the same rounding (e.g. 99.99999999999814 before the end).
 */
export function linearFrames(frameSize: number, duration: number): Frame[] {
  const frames: Frame[] = [];
  const step = 100 / Math.ceil(duration / frameSize);
  let percent = 0;
  for (let left = duration; left > 0; left -= frameSize) {
    percent += step;
    frames.push({ duration: String(Math.min(frameSize, left)), percent });
  }
  frames.push({ percent: 100 });
  return frames;
}

/** The frames: one row each in a table, two lines each in the original's text; the rollout itself in JSON. */
export async function showRollout(ref: GroupRef, { client, print }: RolloutDeps): Promise<number> {
  const rollout = await client.getRollout(ref.appId, ref.groupId);
  const rows = (rollout.rollout ?? []).map((frame, index) => ({ index, frame }));
  await print.list(FRAME_COLUMNS, rows, {
    json: rollout,
    text: (out) => {
      out.write('rollout:\n');
      for (const { index, frame } of rows) {
        out.write(`Frame ${index}:\tPercent:\t${goFixed(frame.percent ?? 0)}\n`);
        out.write(`\tDuration:\t${goInt64(frame.duration)}\n`);
      }
    },
  });
  return ExitCode.OK;
}

export interface LinearRolloutOptions extends GroupRef {
  frameSize: number;
  duration: number;
}

export async function createLinearRollout(opts: LinearRolloutOptions, { client, print }: RolloutDeps): Promise<number> {
  const rollout = { appId: opts.appId, groupId: opts.groupId, rollout: linearFrames(opts.frameSize, opts.duration) };
  const reply = await client.setRollout(opts.appId, opts.groupId, rollout);
  print.message('rollout set\n', reply);
  return ExitCode.OK;
}

export async function setRolloutActive(ref: GroupRef, active: boolean, { client, print }: RolloutDeps): Promise<number> {
  // `active` is always sent: the original dropped `false`, so deactivate could not say it
  const reply = await client.setRolloutActive(ref.appId, ref.groupId, { active });
  print.message(reply.active ? 'rollout activated\n' : 'rollout deactivated\n', reply);
  return ExitCode.OK;
}

// ---- command specs

const deps = (d: Deps): RolloutDeps => ({ client: d.client(), print: printerOf(d) });

const ref = (f: FlagSet): GroupRef => ({ appId: f.getString('app-id'), groupId: f.getString('group-id') });

function refFlags(f: FlagSet): FlagSet {
  return f.string('app-id', '', 'Application the group belongs to.').string('group-id', '', 'ID of the group the rollout belongs to.');
}

/** A rollout for a group: `app-id` and `group-id` given. */
const hasRef = (f: FlagSet): boolean => allSet(f, 'app-id', 'group-id');

export const rollout: CommandSpec = {
  name: 'rollout',
  description: 'With --app-id and --group-id, print the frames of the group\'s rollout.',
  defineFlags: refFlags,
  run: (f, d) => (hasRef(f) ? showRollout(ref(f), deps(d)) : ExitCode.USAGE),
  subcommands: [
    {
      name: 'rollout create',
      summary: 'Define the frames of an automatic rollout.',
      usage: '[OPTION]...',
      subcommands: [
        {
          name: 'rollout create linear',
          summary: 'Roll out to an evenly growing share of the group.',
          usage: '[OPTION]...',
          defineFlags: (f) =>
            refFlags(f)
              .int('frame-size', 60, 'Length of one step of the rollout, in seconds.')
              .int('duration', 86400, 'Time to go from 0% to 100%, in seconds.'),
          run: (f, d) => {
            const frameSize = f.getNumber('frame-size');
            const duration = f.getNumber('duration');
            // the original refused 0; a negative step would never reach the end
            if (!hasRef(f) || frameSize <= 0 || duration <= 0) return ExitCode.USAGE;
            return createLinearRollout({ ...ref(f), frameSize, duration }, deps(d));
          },
        },
      ],
    },
    {
      name: 'rollout activate',
      summary: "Start a group's rollout.",
      usage: '[OPTION]...',
      defineFlags: refFlags,
      run: (f, d) => (hasRef(f) ? setRolloutActive(ref(f), true, deps(d)) : ExitCode.USAGE),
    },
    {
      name: 'rollout deactivate',
      summary: "Stop a group's rollout.",
      usage: '[OPTION]...',
      defineFlags: refFlags,
      run: (f, d) => (hasRef(f) ? setRolloutActive(ref(f), false, deps(d)) : ExitCode.USAGE),
    },
  ],
};
