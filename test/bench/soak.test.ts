import { describe, expect, it } from 'vitest';
import { SOAKS, runSoak, soakTable } from '../../bench/soak.js';

// The soak's three loops run a few steps and report well-formed figures. Not a measurement: the
// 10,000-step soak runs in `pnpm bench` (heap growth is measured there, never asserted in a test).
describe('bench soak: a tensor MLP, the Value engine and a double-backward loop', () => {
  it('runs each loop and reports the heap at every tenth of the run', () => {
    expect(SOAKS.map((s) => s.id)).toEqual(['tensor-mlp', 'value-engine', 'double-backward']);
    const results = SOAKS.map((s) => runSoak(s, 20));
    for (const r of results) {
      expect(r.steps).toBe(20);
      expect(r.checkpointsMB).toHaveLength(10);
      expect(Number.isFinite(r.growthMB) && Number.isFinite(r.bytesPerStep)).toBe(true);
      expect(r.startMB).toBeGreaterThan(0);
    }
    expect(soakTable(results).split('\n')).toHaveLength(5);
  });
});
