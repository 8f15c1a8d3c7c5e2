import assert from 'node:assert/strict';
import {
  BarProgress,
  combineSinks,
  createProgress,
  JsonProgress,
  PlainProgress,
  formatDuration,
  type ProgressEvent,
} from '../../runtime/progress/index.js';
import { CapturedStream, playScript, ScriptClock } from './script.js';

function play(make: (stream: CapturedStream, clock: ScriptClock) => Parameters<typeof playScript>[0], isTTY = false): string {
  const stream = new CapturedStream(isTTY);
  const clock = new ScriptClock();
  playScript(make(stream, clock), clock);
  return stream.text;
}

const asStream = (s: CapturedStream) => s as unknown as NodeJS.WriteStream;

describe('progress output', () => {
  it('prints plain lines: every event, steps every K, never a carriage return', () => {
    const text = play((s, c) => new PlainProgress(asStream(s), { every: 50, now: c.now }));
    assert.equal(
      text,
      [
        'run 20261128-093012-ab12 (tiny_etpp): 2 stages, 160 steps, backend cpu',
        'stage 1/2 start: 16px, RandAugment m 0, 100 steps',
        'stage 1/2  16px  m0  step 50/100  128.0 img/s  loss 2.0000  lr 6.88e-3  eta 25s',
        'stage 1/2  16px  m0  step 100/100  128.0 img/s  loss 1.5000  lr 3.75e-3  eta 0s',
        'stage 1/2 end: 100 steps in 50s, 128.0 img/s, loss 1.5000',
        'eval stage 1/2 step 100: val loss 2.0000, top-1 30.00% (at stage resolution 25.00%)',
        'stage 2/2 start: 32px, 60 steps',
        'warning: loss rose 3 steps in a row',
        'stage 2/2  32px  step 50/60  32.0 img/s  loss 1.0000  lr 6.25e-4  eta 20s',
        'stage 2/2 end: 60 steps in 2m00s, 32.0 img/s, loss 0.9000',
        'eval stage 2/2 step 160: val loss 1.5000, top-1 50.00%',
        'run completed in 2m50s, top-1 50.00%',
        '',
      ].join('\n'),
    );
    assert.doesNotMatch(text, /[\r\u001b]/);
  });

  it('prints the stage ETA from the pace so far', () => {
    const text = play((s, c) => new PlainProgress(asStream(s), { every: 20, now: c.now }));
    const stage2 = text.split('\n').filter((line) => line.startsWith('stage 2/2  32px  step'));
    // 2 s a step: 40 steps left after step 20 take 80 s, 20 left after step 40 take 40 s.
    assert.deepEqual(
      stage2.map((line) => line.replace(/.*eta /, '')),
      ['1m20s', '40s', '0s'],
    );
  });

  it('prints JSON event lines with a type and the seconds since the run began', () => {
    const text = play((s, c) => new JsonProgress(asStream(s), { every: 50, now: c.now }));
    assert.equal(
      text,
      [
        '{"type":"run_start","t":0,"runId":"20261128-093012-ab12","experiment":"tiny_etpp","backend":"cpu","stages":[{"resolution":16,"steps":100,"randAugmentM":0},{"resolution":32,"steps":60,"randAugmentM":null}],"totalSteps":160}',
        '{"type":"stage_start","t":0,"stage":0,"stages":2,"resolution":16,"randAugmentM":0,"steps":100}',
        '{"type":"step","t":25,"stage":0,"step":50,"steps":100,"globalStep":50,"loss":2,"imagesPerSecond":128,"lr":0.006875,"computeFraction":0.3125}',
        '{"type":"step","t":50,"stage":0,"step":100,"steps":100,"globalStep":100,"loss":1.5,"imagesPerSecond":128,"lr":0.00375,"computeFraction":0.625}',
        '{"type":"stage_end","t":50,"stage":0,"steps":100,"seconds":50,"imagesPerSecond":128,"loss":1.5}',
        '{"type":"eval","t":50,"stage":0,"step":100,"valLoss":2,"valTop1":0.3,"valTop1StageResolution":0.25}',
        '{"type":"stage_start","t":50,"stage":1,"stages":2,"resolution":32,"randAugmentM":null,"steps":60}',
        '{"type":"warning","t":110,"message":"loss rose 3 steps in a row"}',
        '{"type":"step","t":150,"stage":1,"step":50,"steps":60,"globalStep":150,"loss":1,"imagesPerSecond":32,"lr":0.000625,"computeFraction":0.9375}',
        '{"type":"stage_end","t":170,"stage":1,"steps":60,"seconds":120,"imagesPerSecond":32,"loss":0.8999999999999999}',
        '{"type":"eval","t":170,"stage":1,"step":160,"valLoss":1.5,"valTop1":0.5,"valTop1StageResolution":null}',
        '{"type":"run_end","t":170,"status":"completed","seconds":170,"top1":0.5,"error":null}',
        '',
      ].join('\n'),
    );
  });

  it('prints every step as JSON when asked to', () => {
    const text = play((s, c) => new JsonProgress(asStream(s), { every: 1, now: c.now }));
    const events = text.trimEnd().split('\n').map((line) => JSON.parse(line) as { type: string; globalStep?: number });
    assert.deepEqual(
      events.filter((e) => e.type === 'step').map((e) => e.globalStep),
      Array.from({ length: 160 }, (_, i) => i + 1),
    );
  });

  it('draws a live bar per stage on a terminal and leaves no timer behind', () => {
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const text = play((s, c) => new BarProgress(asStream(s), { now: c.now, fps: 1000 }), true);
    assert.equal(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length, before);
    // The warning arrives with the bar of stage 2 at step 30 and redraws it.
    assert.match(text, /stage 2\/2 32px +\[=+-+\] 30\/60 \| 32\.0 img\/s \| loss 1\.2000 \| lr 1\.87e-3 \| eta 1m00s/);
    assert.match(text, /stage 1\/2 16px m0 \[=+\] 100\/100 \| 128\.0 img\/s/);
    const plain = text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
    for (const line of [
      'stage 1/2 start: 16px, RandAugment m 0, 100 steps\n',
      'stage 1/2 end: 100 steps in 50s, 128.0 img/s, loss 1.5000\n',
      'warning: loss rose 3 steps in a row\n',
      'eval stage 2/2 step 160: val loss 1.5000, top-1 50.00%\n',
      'run completed in 2m50s, top-1 50.00%\n',
    ]) {
      assert.ok(plain.includes(line), `missing: ${line}`);
    }
  });

  it('reports failed and interrupted runs with their cause', () => {
    const stream = new CapturedStream();
    const sink = new PlainProgress(asStream(stream));
    sink.emit({ type: 'run_end', status: 'failed', seconds: 12.4, top1: null, error: 'out of memory' });
    sink.emit({ type: 'run_end', status: 'interrupted', seconds: 3725, top1: null, error: 'SIGINT' });
    assert.equal(stream.text, 'run failed after 12s: out of memory\nrun interrupted after 1h02m: SIGINT\n');
  });

  it('chooses JSON when asked, a bar on a terminal and plain lines elsewhere', () => {
    assert.ok(createProgress({ json: true }) instanceof JsonProgress);
    const tty = createProgress({ stream: asStream(new CapturedStream(true)) });
    assert.ok(tty instanceof BarProgress);
    tty.close();
    assert.ok(createProgress({ stream: asStream(new CapturedStream(false)) }) instanceof PlainProgress);
    assert.throws(() => createProgress({ stream: asStream(new CapturedStream(false)), every: 0 }), /steps between lines must be an integer ≥ 1, got 0/);
  });

  it('hands every event to each of combined sinks', () => {
    const a = new CapturedStream();
    const b = new CapturedStream();
    const both = combineSinks(new PlainProgress(asStream(a)), new JsonProgress(asStream(b), { now: () => 0 }));
    const warning: ProgressEvent = { type: 'warning', message: 'slow data loader' };
    both.emit(warning);
    both.close();
    assert.equal(a.text, 'warning: slow data loader\n');
    assert.equal(b.text, '{"type":"warning","t":0,"message":"slow data loader"}\n');
  });

  it('formats durations compactly', () => {
    assert.deepEqual([0, 59.4, 60, 245, 3599, 3600, 7380, Number.NaN, null].map(formatDuration), ['0s', '59s', '1m00s', '4m05s', '59m59s', '1h00m', '2h03m', '--', '--']);
  });
});
