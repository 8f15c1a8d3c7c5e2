import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkFiles } from '../../compiler/check.js';
import { explainExperiment } from '../../compiler/explain.js';
import { compareOrUpdate } from '../helpers/fixtures.js';
import { runCommand } from './run-command.js';

// `eft plan show` and `eft plan diff` on the plans of examples/quickstart.eft, pinned in
// test/plan/fixtures (EFT_UPDATE_FIXTURES=1 rewrites them). Hashes are masked: they change
// with the compiler version and the example's bytes, which other tests pin.
const FIXTURES = join('test', 'plan', 'fixtures');

function maskHashes(text: string, dir: string): string {
  return text.replaceAll(dir, '<plans>').replace(/sha256 [0-9a-f]{12}/g, 'sha256 <hash>');
}

describe('eft plan show / eft plan diff (examples)', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'eft-plan-examples-'));
  before(async () => {
    const r = await runCommand(['compile', 'examples/quickstart.eft', '-o', dir]);
    assert.equal(r.code, 0, r.stderr);
  });

  it('shows the EfficientTrain++ plan of the quick start', async () => {
    const r = await runCommand(['plan', 'show', join(dir, 'fmnist_etpp.plan.json')]);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    const actual = maskHashes(r.stdout, dir);
    assert.equal(actual, compareOrUpdate(join(FIXTURES, 'quickstart-etpp.show.txt'), actual));
  });

  it('prints the same stage table and totals as `eft explain` for the source', async () => {
    const shown = (await runCommand(['plan', 'show', join(dir, 'fmnist_etpp.plan.json')])).stdout;
    const checked = await checkFiles(['examples/quickstart.eft']);
    const explained = explainExperiment(checked.experiments.find((c) => c.experiment.name === 'fmnist_etpp')!)!.text;
    const tableOf = (text: string) => text.slice(text.indexOf('  stage  '));
    assert.equal(tableOf(shown), tableOf(explained));
  });

  it('tells what the curriculum changes against the baseline', async () => {
    const r = await runCommand(['plan', 'diff', join(dir, 'fmnist_baseline.plan.json'), join(dir, 'fmnist_etpp.plan.json')]);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, compareOrUpdate(join(FIXTURES, 'quickstart.diff.txt'), r.stdout));
  });
});
