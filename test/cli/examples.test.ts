import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { runEft } from '../helpers/cli.js';

const EXAMPLES = ['examples/quickstart.eft', ...readdirSync('examples/paper').map((f) => `examples/paper/${f}`)];

describe('examples', () => {
  it('check clean', () => {
    const r = runEft(['check', ...EXAMPLES]);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `${EXAMPLES.length} files: ok (34 experiments checked)\n`);
  });

  it('are in the canonical layout', () => {
    const r = runEft(['fmt', '--check', ...EXAMPLES]);
    assert.equal(r.stdout + r.stderr, '');
    assert.equal(r.code, 0);
  });

  it('declare the paper experiments the cost model computes', () => {
    const r = runEft(['explain', '--json', 'examples/paper/deit_small.eft']);
    assert.equal(r.code, 0);
    const { experiments } = JSON.parse(r.stdout) as { experiments: { name: string; speedup: number; speedup_pixel_proxy: number; equivalent_epochs: number }[] };
    assert.deepEqual(
      experiments.map((e) => [e.name, e.speedup.toFixed(2), e.speedup_pixel_proxy.toFixed(2), e.equivalent_epochs.toFixed(1)]),
      [
        ['deit_small_etpp', '1.50', '1.46', '200.0'],
        ['deit_small_et', '1.56', '1.53', '192.0'],
      ],
    );
  });
});
