// serve.ts bundles worker.ts on its own and hands it to the page bundle as this module's text,
// so the page can start the worker from a Blob (which also works when opened from disk).
declare module 'playground:worker-source' {
  const source: string;
  export default source;
}
