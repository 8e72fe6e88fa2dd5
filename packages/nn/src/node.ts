/// <reference types="node" />
// @xent/nn/node: helpers that need Node (files). The main entry stays browser-safe.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type OnnxExportOptions, exportOnnx } from './interop/onnx.js';
import {
  type LoadSafetensorsOptions,
  loadSafetensors,
  modelFromSafetensors,
  saveSafetensors,
} from './interop/safetensors.js';
import type { Module } from './module.js';
import { loadModel, modelFromJson, saveModel } from './save.js';

/**
 * Writes the model's parameters to a JSON file (creating its folder).
 * @example await saveModelFile(model, 'out/spiral.json');
 */
export async function saveModelFile(model: Module, path: string, opts: { meta?: unknown } = {}): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, saveModel(model, opts), 'utf8');
}

/**
 * Loads a JSON file written by saveModelFile into `model` (validated as loadModel does); returns its meta.
 * @example await loadModelFile(model, 'out/spiral.json');
 */
export async function loadModelFile(model: Module, path: string): Promise<unknown> {
  const text = await readText(path, 'loadModelFile');
  return renamed('loadModel', 'loadModelFile', path, () => loadModel(model, text));
}

/**
 * Rebuilds a model saved from stock layers (see modelFromJson) from a JSON file.
 * @example const { model } = await modelFromFile('out/spiral/model.json');
 */
export async function modelFromFile(path: string): Promise<{ model: Module; meta: unknown }> {
  const text = await readText(path, 'modelFromFile');
  return renamed('modelFromJson', 'modelFromFile', path, () => modelFromJson(text));
}

/** Runs fn; an error it throws is re-thrown naming the file helper and the file instead of the string loader. */
function renamed<T>(from: string, to: string, path: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    const err = e as Error;
    if (!(err instanceof Error) || !err.message.startsWith(`${from}: `)) throw e;
    const Ctor = err.constructor as new (message: string, options?: ErrorOptions) => Error;
    throw new Ctor(`${to}: ${path}: ${err.message.slice(from.length + 2)}`, { cause: e });
  }
}

/**
 * Writes the model as an ONNX file (see exportOnnx), creating its folder.
 * @example await saveOnnx(model, 'out/iris.onnx', { opset: 13 });
 */
export async function saveOnnx(model: Module, path: string, opts: OnnxExportOptions = {}): Promise<void> {
  const bytes = exportOnnx(model, opts);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
}

/**
 * Writes the model's parameters as a safetensors file (see saveSafetensors), creating its folder.
 * @example await saveSafetensorsFile(model, 'out/iris.safetensors');
 */
export async function saveSafetensorsFile(
  model: Module,
  path: string,
  opts: Parameters<typeof saveSafetensors>[1] = {},
): Promise<void> {
  const bytes = saveSafetensors(model, opts);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
}

/**
 * Loads a safetensors file (PyTorch's or ours) into `model`, all or nothing (see loadSafetensors).
 * @example await loadSafetensorsFile(model, 'model.safetensors', { rename: { 'fc1.weight': '0.weight' } });
 */
export async function loadSafetensorsFile(
  model: Module,
  path: string,
  opts: LoadSafetensorsOptions = {},
): Promise<ReturnType<typeof loadSafetensors>> {
  return loadSafetensors(model, await readBytes(path, 'loadSafetensorsFile'), opts);
}

/**
 * Rebuilds a model of stock layers from a safetensors file written by saveSafetensorsFile (see modelFromSafetensors).
 * @example const { model } = await modelFromSafetensorsFile('out/iris.safetensors');
 */
export async function modelFromSafetensorsFile(
  path: string,
): Promise<{ model: Module; metadata: Record<string, string> }> {
  return modelFromSafetensors(await readBytes(path, 'modelFromSafetensorsFile'));
}

async function readBytes(path: string, where: string): Promise<Uint8Array> {
  try {
    // a copy: Buffer may share Node's pool, and the reader wants its own aligned bytes
    return new Uint8Array(await readFile(path));
  } catch (e) {
    throw new Error(`${where}: cannot read ${path} (${(e as Error).message})`, { cause: e });
  }
}

async function readText(path: string, where: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new Error(`${where}: cannot read ${path} (${(e as Error).message})`, { cause: e });
  }
}
