/// <reference types="node" />
// @xent/nn/node: helpers that need Node (files). The main entry stays browser-safe.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
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
  return loadModel(model, await readText(path, 'loadModelFile'));
}

/**
 * Rebuilds a model saved from stock layers (see modelFromJson) from a JSON file.
 * @example const { model } = await modelFromFile('out/spiral/model.json');
 */
export async function modelFromFile(path: string): Promise<{ model: Module; meta: unknown }> {
  return modelFromJson(await readText(path, 'modelFromFile'));
}

async function readText(path: string, where: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new Error(`${where}: cannot read ${path} (${(e as Error).message})`, { cause: e });
  }
}
