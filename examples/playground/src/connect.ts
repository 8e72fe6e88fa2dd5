// Starts the trainer: in a Web Worker made from a Blob of its bundled source, or, if no worker
// can start, on the page itself in short time slices (the page stays responsive either way).
import workerSource from 'playground:worker-source';
import type { FromTrainer, ToTrainer } from './protocol.js';
import { Trainer } from './trainer.js';

/** The page's end of the line to the trainer. */
export interface Connection {
  send(msg: ToTrainer): void;
  /** Where training runs: 'worker' or 'page'. */
  readonly mode: 'worker' | 'page';
}

function onPage(onMessage: (msg: FromTrainer) => void): Trainer {
  // Shorter slices than in the worker, so that drawing and input get their turn.
  return new Trainer((msg) => queueMicrotask(() => onMessage(msg)), { sliceMs: 12, paintInBands: true });
}

/**
 * Starts the trainer (in a Web Worker unless `preferWorker` is false or none can start) and returns how to talk to it.
 */
export function connect(onMessage: (msg: FromTrainer) => void, preferWorker = true): Connection {
  if (!preferWorker || typeof Worker === 'undefined' || !workerSource) {
    const trainer = onPage(onMessage);
    return { mode: 'page', send: (msg) => trainer.handle(msg) };
  }
  let worker: Worker | null = null;
  let trainer: Trainer | null = null;
  let heard = false;
  const sent: ToTrainer[] = [];
  const conn = {
    mode: 'worker' as 'worker' | 'page',
    send(msg: ToTrainer): void {
      if (trainer) return trainer.handle(msg);
      if (!heard) sent.push(msg);
      worker!.postMessage(msg);
    },
  };
  // A worker that cannot start (a strict policy, an old browser) hands over to the page, replaying what it was told.
  const fallBack = (): void => {
    worker?.terminate();
    worker = null;
    trainer = onPage(onMessage);
    conn.mode = 'page';
    for (const m of sent) trainer.handle(m);
  };
  try {
    const url = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
    worker = new Worker(url);
    worker.onmessage = (e: MessageEvent<FromTrainer>) => {
      heard = true;
      sent.length = 0;
      onMessage(e.data);
    };
    worker.onerror = (e) => {
      if (!heard) {
        e.preventDefault();
        fallBack();
      }
    };
  } catch {
    fallBack();
  }
  return conn;
}
