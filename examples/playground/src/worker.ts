// The Web Worker's entry: a Trainer that talks to the page by messages.
import type { ToTrainer } from './protocol.js';
import { Trainer } from './trainer.js';

const scope = self as unknown as {
  postMessage(m: unknown): void;
  onmessage: ((e: MessageEvent<ToTrainer>) => void) | null;
};
const trainer = new Trainer((msg) => scope.postMessage(msg));
scope.onmessage = (e) => trainer.handle(e.data);
