import { type Tensor, manualSeed, oneHot, tensor } from '@xent/core';
import {
  Adam,
  BCEWithLogitsLoss,
  type Callback,
  CrossEntropyLoss,
  DataLoader,
  EarlyStopping,
  Linear,
  MLP,
  MSELoss,
  SGD,
  StepLR,
  TensorDataset,
  blobs,
  evaluate,
  fit,
  predict,
  spiral,
} from '@xent/nn';
import { describe, expect, it } from 'vitest';

function sink(isTTY: boolean): { write(s: string): void; isTTY: boolean; text: string } {
  return {
    isTTY,
    text: '',
    write(s: string) {
      this.text += s;
    },
  };
}

function train(
  seed: number,
  extra: Partial<Parameters<typeof fit>[1]> = {},
): { model: MLP; history: ReturnType<typeof fit> } {
  manualSeed(seed);
  const { x, y } = spiral({ n: 90, classes: 3, seed: 4 });
  const model = new MLP([2, 16, 3], { dropout: 0.1 });
  const history = fit(model, {
    data: { x, y },
    loss: new CrossEntropyLoss(),
    optimizer: new Adam(model.parameters(), { lr: 0.02 }),
    epochs: 15,
    batchSize: 16,
    metrics: ['accuracy'],
    verbose: 0,
    ...extra,
  });
  return { model, history };
}

describe('fit', () => {
  it('same seed, same data: bit-identical final weights (shuffling and dropout included)', () => {
    const a = train(7).model,
      b = train(7).model,
      c = train(8).model;
    const bits = (m: MLP): number[] => m.parameters().flatMap((p) => Array.from(p.data));
    expect(bits(a)).toEqual(bits(b));
    expect(bits(a)).not.toEqual(bits(c));
  });

  it('returns loss and metrics per epoch for training and validation, and the rate', () => {
    const { x, y } = blobs({ n: 120, centers: 3, seed: 1 });
    const { x: vx, y: vy } = blobs({ n: 60, centers: 3, seed: 1 });
    manualSeed(0);
    const model = new MLP([2, 8, 3]);
    const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
    const h = fit(model, {
      data: [x, y],
      valData: { x: vx, y: vy },
      loss: new CrossEntropyLoss(),
      optimizer: opt,
      epochs: 6,
      batchSize: 32,
      metrics: ['accuracy', { name: 'meanLogit', fn: (o: Tensor) => o.mean().item() }],
      scheduler: new StepLR(opt, { stepSize: 2, gamma: 0.5 }),
      verbose: 0,
    });
    expect(h.epochs).toBe(6);
    expect(Object.keys(h.train)).toEqual(['loss', 'accuracy', 'meanLogit']);
    expect(Object.keys(h.val)).toEqual(['loss', 'accuracy', 'meanLogit']);
    expect(h.train.loss).toHaveLength(6);
    expect(h.lr).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.025]);
    expect(h.train.loss.at(-1)!).toBeLessThan(h.train.loss[0]!);
    const ev = evaluate(model, { x: vx, y: vy }, { loss: new CrossEntropyLoss() });
    expect(ev.loss).toBeCloseTo(h.val.loss!.at(-1)!, 12);
    expect(ev.accuracy).toBeCloseTo(h.val.accuracy!.at(-1)!, 12);
    expect(predict(model, vx, { batchSize: 7 }).toArray()).toEqual(predict(model, vx).toArray());
  });

  it('calls callbacks per batch and per epoch, and stops when one asks', () => {
    const seen: string[] = [];
    const cb: Callback = {
      onTrainBegin: () => seen.push('begin'),
      onBatchEnd: (b, logs) => {
        if (b === 0) seen.push(`batch ${typeof logs.loss}`);
      },
      onEpochEnd: (e, logs) => {
        seen.push(`epoch ${e} ${'accuracy' in logs}`);
        return e === 1;
      },
      onTrainEnd: () => seen.push('end'),
    };
    const { history } = train(0, { callbacks: [cb], epochs: 10 });
    expect(history.epochs).toBe(2);
    expect(seen).toEqual(['begin', 'batch number', 'epoch 0 true', 'batch number', 'epoch 1 true', 'end']);
  });

  it('early stopping waits `patience` epochs and restores the best weights', () => {
    // Plain regression with a learning rate far too high: the loss gets worse after a first improvement.
    manualSeed(0);
    const x = tensor([
        [1, 2],
        [2, 1],
        [3, 0],
        [0, 3],
      ]),
      y = tensor([[1], [2], [3], [4]]);
    const model = new Linear(2, 1);
    const es = new EarlyStopping({ monitor: 'loss', patience: 2 });
    const snapshots: number[][] = [];
    const record: Callback = {
      onEpochEnd: () => {
        snapshots.push(Array.from(model.weight.data));
      },
    };
    const h = fit(model, {
      data: { x, y },
      loss: new MSELoss(),
      optimizer: new SGD(model.parameters(), { lr: 0.3 }),
      epochs: 50,
      batchSize: 4,
      shuffle: false,
      callbacks: [record, es],
      verbose: 0,
    });
    const best = h.train.loss.indexOf(Math.min(...h.train.loss));
    expect(es.bestEpoch).toBe(best);
    expect(h.epochs).toBe(best + 3); // two more epochs without improvement, then stop
    expect(es.stoppedEpoch).toBe(best + 2);
    expect(Array.from(model.weight.data)).toEqual(snapshots[best]);
  });

  it('trains float32 models on float32 data, keeping float32 weights and optimizer state', () => {
    manualSeed(0);
    const { x, y } = blobs({ n: 90, centers: 3, seed: 2 });
    const model = new MLP([2, 8, 3], { dtype: 'float32' });
    const optimizer = new Adam(model.parameters(), { lr: 0.05 });
    const h = fit(model, {
      data: { x: x.to('float32'), y },
      loss: new CrossEntropyLoss(),
      optimizer,
      epochs: 20,
      batchSize: 30,
      metrics: ['accuracy'],
      verbose: 0,
    });
    expect(model.parameters().every((p) => p.dtype === 'float32')).toBe(true);
    expect(optimizer.stateDict().state[0]!.buffers.expAvg).toHaveLength(16);
    expect(h.train.accuracy!.at(-1)!).toBeGreaterThan(0.9);
  });

  it('accuracy with class-probability targets counts their most likely class', () => {
    manualSeed(0);
    const { x, y } = blobs({ n: 60, centers: 3, seed: 2 });
    const model = new MLP([2, 8, 3]);
    const soft = oneHot(y, 3)
      .mul(0.9)
      .add(0.1 / 3);
    const h = fit(model, {
      data: { x, y: soft },
      loss: new CrossEntropyLoss(),
      optimizer: new Adam(model.parameters(), { lr: 0.05 }),
      epochs: 15,
      batchSize: 20,
      metrics: ['accuracy'],
      verbose: 0,
    });
    expect(h.train.accuracy!.at(-1)!).toBeGreaterThan(0.9);
    expect(() =>
      fit(model, {
        data: { x: x.slice(0, 0, 0), y: y.slice(0, 0, 0) },
        loss: new CrossEntropyLoss(),
        optimizer: new SGD(model.parameters()),
        epochs: 1,
      }),
    ).toThrow(/fit: data has no samples/);
  });

  it('a non-finite loss is an error naming the epoch and batch, not a silent NaN', () => {
    const model = new Linear(1, 1);
    expect(() =>
      fit(model, {
        data: { x: tensor([[1], [NaN]]), y: tensor([[0], [0]]) },
        loss: new MSELoss(),
        optimizer: new SGD(model.parameters()),
        epochs: 1,
        verbose: 0,
      }),
    ).toThrow(/fit: data, batch 1 \(samples 0–1\), checked before training: the loss is NaN/);
    expect(() =>
      fit(model, {
        data: { x: tensor([[1]]), y: tensor([[0]]) },
        loss: new MSELoss(),
        optimizer: new SGD(model.parameters()),
        epochs: 0,
      }),
    ).toThrow(/epochs must be a positive integer/);
    expect(() =>
      fit(model, { data: 5 as never, loss: new MSELoss(), optimizer: new SGD(model.parameters()), epochs: 1 }),
    ).toThrow(/data must be a Dataset, a DataLoader/);
  });

  it('evaluate: binary logits count as class 1 above 0 with BCEWithLogitsLoss or threshold 0, above 0.5 otherwise', () => {
    const model = new Linear(1, 1);
    model.weight.data[0] = 1;
    model.bias!.data[0] = 0;
    const x = tensor([[-1], [0.2], [0.7], [2]]),
      y = tensor([[0], [1], [1], [1]]); // logits = x
    expect(evaluate(model, { x, y }).accuracy).toBe(0.75); // 0.2 is not above 0.5
    expect(evaluate(model, { x, y }, { threshold: 0 }).accuracy).toBe(1);
    expect(evaluate(model, { x, y }, { loss: new BCEWithLogitsLoss() }).accuracy).toBe(1);
    expect(evaluate(model, { x, y }, { loss: new BCEWithLogitsLoss(), threshold: 1 }).accuracy).toBe(0.5);
    expect(() => evaluate(model, { x, y }, { threshold: NaN })).toThrow(
      /evaluate: threshold must be a finite number, got NaN/,
    );
  });

  it('empty data, a loader with no batches and a bad batchSize are errors naming the function, never a hang or empty results', () => {
    const { x, y } = blobs({ n: 12, centers: 3, seed: 0 });
    const model = new MLP([2, 4, 3]);
    const none = { x: x.slice(0, 0, 0), y: y.slice(0, 0, 0) };
    const opts = {
      loss: new CrossEntropyLoss(),
      optimizer: new SGD(model.parameters(), { lr: 0.1 }),
      epochs: 1,
      verbose: 0 as const,
    };
    expect(() => evaluate(model, none)).toThrow(/evaluate: data has no samples/);
    expect(() => fit(model, { ...opts, data: { x, y }, valData: none })).toThrow(/fit: valData has no samples/);
    const starved = new DataLoader(new TensorDataset(x, y), { batchSize: 20, dropLast: true });
    expect(() => fit(model, { ...opts, data: starved })).toThrow(
      /fit: the DataLoader gives no batches \(12 samples, batchSize 20, dropLast\)/,
    );
    expect(() => fit(model, { ...opts, data: { x, y }, valData: starved })).toThrow(/fit: valData gives no batches/);
    expect(() => evaluate(model, starved)).toThrow(/evaluate: data gives no batches/);
    // was an endless loop
    expect(() => predict(model, x, { batchSize: 0 })).toThrow(/predict: batchSize must be a positive integer, got 0/);
    expect(() => predict(model, x, { batchSize: 2.5 })).toThrow(/predict: batchSize must be a positive integer/);
    expect(() => evaluate(model, { x, y }, { batchSize: -1 })).toThrow(
      /evaluate: batchSize must be a positive integer, got -1/,
    );
    expect(() => fit(model, { ...opts, data: { x, y }, batchSize: 0 })).toThrow(
      /fit: batchSize must be a positive integer, got 0/,
    );
    expect(() => new EarlyStopping({ mode: 'up' as 'max' })).toThrow(
      /EarlyStopping: mode must be 'min', 'max' or 'auto', got "up"/,
    );
    expect(() => new EarlyStopping({ minDelta: NaN })).toThrow(/EarlyStopping: minDelta must be a finite number/);
    expect(() => fit(model, { ...opts, data: { x, y }, metrics: 'accuracy' as never })).toThrow(
      /fit: metrics must be an array, such as \['accuracy'\], got "accuracy"/,
    );
    expect(() => fit(model, { ...opts, data: { x, y }, callbacks: new EarlyStopping() as never })).toThrow(
      /fit: callbacks must be an array/,
    );
    expect(() => fit(model, { ...opts, data: { x, y }, scheduler: 0.5 as never })).toThrow(
      /fit: scheduler must be an LRScheduler/,
    );
    expect(() => fit(model, { ...opts, data: { x, y }, verbose: 3 as never })).toThrow(
      /fit: verbose must be 0, 1 or 2, got 3/,
    );
  });

  it('progress: a line per epoch when not a terminal, a redrawn bar on a terminal, nothing with verbose 0', () => {
    const pipe = sink(false);
    train(0, { verbose: 1, output: pipe, epochs: 3 });
    const lines = pipe.text.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/^epoch 3\/3 {2}loss \d\.\d{4} {2}accuracy \d+\.\d% {2}\d+s$/);
    expect(pipe.text).not.toContain('\r');

    const tty = sink(true);
    train(0, { verbose: 1, output: tty, epochs: 3 });
    expect(tty.text.startsWith('\r\x1b[2K')).toBe(true);
    expect(tty.text.endsWith('\n')).toBe(true);
    expect(tty.text.split('\n')).toHaveLength(2); // one line, redrawn
    const last = tty.text.split('\r\x1b[2K').at(-1)!;
    expect(last).toMatch(
      /^epoch 3\/3 {2}\[=+\] {2}6\/6 {2}loss \d\.\d{4} {2}accuracy \d+\.\d% {2}[\d.]+k? samples\/s {2}ETA \d+s\n$/,
    );

    const withVal = sink(true);
    const { x, y } = spiral({ n: 60, classes: 3, seed: 1 });
    train(0, { verbose: 1, output: withVal, epochs: 2, valData: { x, y } });
    expect(withVal.text.split('\r\x1b[2K').at(-1)).toMatch(
      /^epoch 2\/2 .* valLoss \d\.\d{4} {2}valAccuracy \d+\.\d% {2}.*ETA \d+s\n$/,
    );

    const quiet = sink(true);
    train(0, { verbose: 0, output: quiet });
    expect(quiet.text).toBe('');
    const two = sink(true);
    train(0, { verbose: 2, output: two, epochs: 2 });
    expect(two.text.split('\n')).toHaveLength(3);
  });
});
