import { describe, expect, it } from 'vitest';
import { haveChromium, inBrowserAndNode } from '../chromium.js';

/** Exports and saves a model, reads the safetensors bytes back and loads them into a fresh model. */
const PROGRAM = `
  const { manualSeed, MLP, exportOnnx, saveSafetensors, loadSafetensors, readSafetensors } = X;
  manualSeed(3);
  const model = new MLP([4, 8, 3], { activation: 'gelu', dtype: 'float32' });
  const onnx = exportOnnx(model, { opset: 17 });
  const st = saveSafetensors(model);
  const copy = new MLP([4, 8, 3], { activation: 'gelu', dtype: 'float32' });
  loadSafetensors(copy, st);
  return { onnx: Array.from(onnx), st: Array.from(st), keys: Object.keys(readSafetensors(st).tensors),
    same: copy.parameters().every((p, i) => p.data.every((v, j) => v === model.parameters()[i].data[j])) };
`;

/* The formats need no Node: in headless Chromium the main entry writes the same bytes as in Node. */
describe('ONNX and safetensors in the browser', () => {
  it.skipIf(!haveChromium)('exportOnnx and saveSafetensors give the same bytes in Chromium as in Node', async () => {
    const { inBrowser, inNode } = await inBrowserAndNode(PROGRAM);
    expect(inBrowser.keys).toEqual(['0.bias', '0.weight', '2.bias', '2.weight']); // file order: by name
    expect(inBrowser.same).toBe(true);
    expect(inBrowser.onnx).toEqual(inNode.onnx);
    expect(inBrowser.st).toEqual(inNode.st);
  });
});
