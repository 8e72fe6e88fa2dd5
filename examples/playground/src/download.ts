// "Download model" for the playground: the trained network as an ONNX file (to run with ONNX Runtime) or as
// safetensors (to load into PyTorch with load_state_dict). The trainer makes the file (it holds the model), the
// page saves it; both formats come from @xent/nn's browser-safe main entry.
import { type Module, exportOnnx, saveSafetensors } from '@xent/nn';

/** The two formats offered. */
export type ModelFormat = 'onnx' | 'safetensors';

/** A model file on its way from the trainer to the page. */
export interface ModelFile {
  format: ModelFormat;
  filename: string;
  mime: string;
  bytes: Uint8Array;
}

/**
 * The model as a file; `info` (what the inputs and outputs are) goes into the file's metadata in both formats.
 * @example const file = modelFile(model, 'onnx', { inputs: 'x,y', outputs: '3 logits' });
 */
export function modelFile(model: Module, format: ModelFormat, info: Record<string, string> = {}): ModelFile {
  const metadata = { producer: 'xent playground', ...info };
  if (format === 'onnx')
    return {
      format,
      filename: 'xent-playground.onnx',
      mime: 'application/octet-stream',
      bytes: exportOnnx(model, { metadata }),
    };
  return {
    format,
    filename: 'xent-playground.safetensors',
    mime: 'application/octet-stream',
    bytes: saveSafetensors(model, { dtype: 'float32', metadata }),
  };
}

/**
 * Saves a file the trainer sent: a Blob behind a temporary link, clicked (the browser's download).
 * @example onMessage(msg) { if (msg.type === 'download') saveModelFile(msg.file); }
 */
export function saveModelFile(file: ModelFile, doc: Document = document): void {
  const url = URL.createObjectURL(new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.mime }));
  const a = doc.createElement('a');
  a.href = url;
  a.download = file.filename;
  doc.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Adds the two "download" buttons to `container`; a click asks the trainer for the file through `request`.
 * @example addDownloadButtons($('header'), (format) => conn.send({ type: 'download', format }));
 */
export function addDownloadButtons(
  container: HTMLElement,
  request: (format: ModelFormat) => void,
): HTMLButtonElement[] {
  const doc = container.ownerDocument;
  const buttons = (
    [
      ['onnx', 'ONNX', 'Download the trained model as ONNX (runs in ONNX Runtime: servers, phones, browsers)'],
      ['safetensors', 'safetensors', 'Download the weights as safetensors (PyTorch: model.load_state_dict)'],
    ] as const
  ).map(([format, label, title]) => {
    const b = doc.createElement('button');
    b.id = `download-${format}`;
    b.textContent = `⤓ ${label}`;
    b.title = title;
    b.addEventListener('click', () => request(format));
    return b;
  });
  container.append(...buttons);
  return buttons;
}
