// The fast path accepts a strict subset of what the general path accepts and
// builds the same tree: checked on every recorded body and on many mutations.
import { describe, expect, it } from 'vitest';
import { DEFAULT_OMAHA_LIMITS } from '../../src/omaha/index.js';
import { fastParseTree } from '../../src/omaha/fast-tree.js';
import { generalParseTree } from '../../src/omaha/tree.js';
import * as fixtures from './fixtures.js';

const bodies: string[] = [];
for (const value of Object.values(fixtures)) {
  if (value && typeof value === 'object') for (const v of Object.values(value)) if (typeof v === 'string') bodies.push(v);
}
const updateEngine = `<?xml version="1.0" encoding="UTF-8"?>
<request protocol="3.0" version="update_engine-0.4.10" updaterversion="update_engine-0.4.10" installsource="scheduler" ismachine="1">
    <os version="Chateau" platform="CoreOS" sp="3033.1.0_x86_64"></os>
    <app appid="{e96281a6-d1af-4bde-9a0a-97b76e56dc57}" version="3033.1.0" track="stable" bootid="{0d2e4bd5-3a5c-4a4b-8e1c-6c5b1e7f4c2a}" oem="qemu" oemversion="0.0.1" alephversion="3033.1.0" machineid="8b10fc6d30ca49b2b1a28185f03d522b" machinealias="" lang="en-US" board="amd64-usr" hardware_class="" delta_okay="false" >
        <ping active="1"></ping>
        <updatecheck></updatecheck>
        <event eventtype="3" eventresult="2" previousversion="0.0.0.0"></event>
    </app>
</request>`;
bodies.push(updateEngine, `<request protocol='3.0'><app appid="a&amp;b &#x41;"/></request>`);

function general(text: string, root: string) {
  try {
    return generalParseTree(text, root, DEFAULT_OMAHA_LIMITS);
  } catch {
    return 'rejected';
  }
}

// Deterministic PRNG so a failure reproduces.
function rng(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
}
const NOISE = ['<', '>', '/', '"', "'", '=', ' ', '&', ';', 'a', '<!--x-->', '<![CDATA[x]]>', '?>', '<?xml version="1.0"?>', '&amp;', '\n', 'app', 'event'];

describe('fast XML path', () => {
  it('takes every recorded body and matches the general parser', () => {
    expect(bodies.length).toBeGreaterThan(10);
    for (const body of bodies) {
      const text = body.trim();
      const root = text.includes('<response') ? 'response' : 'request';
      const fast = fastParseTree(text, DEFAULT_OMAHA_LIMITS);
      expect(fast, text.slice(0, 80)).toBeDefined();
      expect(fast).toEqual(general(text, root));
    }
  });

  it('never accepts what the general parser refuses, and agrees on what both accept (mutation fuzz)', () => {
    const random = rng(42);
    let accepted = 0;
    for (let round = 0; round < 20_000; round++) {
      let text = bodies[Math.floor(random() * bodies.length)]!.trim();
      const edits = 1 + Math.floor(random() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(random() * text.length);
        const kind = random();
        if (kind < 0.4) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 3));
        else text = text.slice(0, at) + NOISE[Math.floor(random() * NOISE.length)] + text.slice(at);
      }
      const fast = fastParseTree(text, DEFAULT_OMAHA_LIMITS);
      if (fast === undefined) continue;
      accepted++;
      const slow = general(text, fast.name);
      expect(slow, text).not.toBe('rejected');
      expect(fast, text).toEqual(slow);
    }
    expect(accepted).toBeGreaterThan(100);
  });
});
