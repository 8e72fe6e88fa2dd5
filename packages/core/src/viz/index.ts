// Computation-graph pictures: Graphviz text and a self-contained SVG, for Value and Tensor.
export { traceGraph, type GraphOptions, type TracedGraph, type TracedNode } from './graph.js';
export { toDot } from './dot.js';
export { toSvg } from './svg.js';
