import { describe, expect, it } from 'vitest';
import { flowCountText, snapshotText, stillCounting } from './investigation-text';

describe('snapshot texts', () => {
  it('says whether every matching flow was frozen, and the cap', () => {
    const createdAt = '2026-01-15T12:00:00Z';
    const soon = Date.parse(createdAt) + 60_000;
    const later = Date.parse(createdAt) + 20 * 60_000;
    expect(snapshotText({ flowCount: 1, flowCap: 50_000, truncated: false, matchingFlows: 1, createdAt }, soon)).toBe('1 flow frozen: every flow that matched in the window (an investigation keeps up to 50,000).');
    const capped = { flowCount: 50_000, flowCap: 50_000, truncated: true, matchingFlows: null, createdAt };
    expect(snapshotText(capped, soon)).toMatch(/^50,000 flows frozen, the newest ones: more matched \(still counting how many\), and an investigation keeps at most 50,000/);
    expect(snapshotText(capped, later)).toMatch(/more matched \(the total was not counted\)/);
    expect(stillCounting(capped, soon)).toBe(true);
    expect(stillCounting(capped, later)).toBe(false);
    expect(snapshotText({ ...capped, matchingFlows: 1_234_567 }, soon)).toMatch(/1,234,567 matched/);
    expect(flowCountText({ flowCount: 12, truncated: false, matchingFlows: 12 })).toBe('12');
    expect(flowCountText({ flowCount: 50_000, truncated: true, matchingFlows: 70_001 })).toBe('50,000 of 70,001');
    expect(flowCountText({ flowCount: 50_000, truncated: true, matchingFlows: null })).toBe('50,000 of more');
  });
});
