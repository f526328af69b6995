import { describe, expect, it } from 'vitest';
import { edgeShapes, hitBand, keepUnmovedShapes, NODE_RADIUS, PAIR_OFFSET } from './edge-geometry';
import { edgeTone, edgeTrouble, edgeWidth, formatRate, isL7Failure } from './edge-style';

const counts = (o: Record<string, number>) => Object.entries(o).map(([key, flows]) => ({ key, flows }));

describe('edge style', () => {
  it('is red with any drop, amber with application failures, grey otherwise', () => {
    expect(edgeTone({ verdicts: counts({ FORWARDED: 10_000, DROPPED: 1 }), l7: [] })).toBe('drop');
    expect(edgeTone({ verdicts: counts({ FORWARDED: 10 }), l7: counts({ 'HTTP GET': 10, 'HTTP 5xx': 2 }) })).toBe('error');
    expect(edgeTone({ verdicts: counts({ FORWARDED: 10, ERROR: 1 }), l7: [] })).toBe('error');
    expect(edgeTone({ verdicts: counts({ FORWARDED: 10, DROPPED: 0 }), l7: counts({ 'HTTP GET': 10, 'HTTP 2xx': 10, 'DNS NOERROR': 3 }) })).toBe('ok');
  });

  it('reads drops, failures and tone once per edge object', () => {
    const edge = { verdicts: counts({ FORWARDED: 10, DROPPED: 2, ERROR: 1 }), l7: counts({ 'DNS NXDOMAIN': 4 }) };
    expect(edgeTrouble(edge)).toEqual({ dropped: 2, failed: 5, tone: 'drop' });
    expect(edgeTrouble(edge)).toBe(edgeTrouble(edge));
  });

  it('knows failures among L7 summaries', () => {
    for (const k of ['HTTP 5xx', 'DNS NXDOMAIN', 'DNS SERVFAIL', 'DNS rcode 16', 'Kafka error 3', 'Kafka error -1']) expect(isL7Failure(k), k).toBe(true);
    for (const k of ['HTTP 2xx', 'HTTP 4xx', 'HTTP GET', 'DNS query', 'DNS NOERROR', 'DNS rcode 0', 'Kafka', 'Kafka error 0']) expect(isL7Failure(k), k).toBe(false);
  });

  it('widens with the log of the rate, within bounds', () => {
    expect(edgeWidth(0)).toBe(1);
    expect(edgeWidth(Number.NaN)).toBe(1);
    expect(edgeWidth(1)).toBe(3);
    expect(edgeWidth(10)).toBe(4.5);
    expect(edgeWidth(1.1)).toBe(edgeWidth(1));
    expect(edgeWidth(1e6)).toBe(8);
    expect(edgeWidth(40)).toBeGreaterThan(edgeWidth(4));
    expect(formatRate(1234.5)).toBe('1,235/s');
    expect(formatRate(3.42)).toBe('3.4/s');
    expect(formatRate(0.0234)).toBe('0.02/s');
  });
});

describe('edge geometry', () => {
  const positions = new Map([['a', { x: 0, y: 0 }], ['b', { x: 100, y: 0 }]]);

  it('runs rim to rim, and parts the two edges of a two-way pair', () => {
    const one = edgeShapes([{ id: 'a->b', source: 'a', target: 'b' }], positions).get('a->b');
    expect(one).toEqual({ loop: false, x1: NODE_RADIUS + 2, y1: 0, x2: 100 - NODE_RADIUS - 2, y2: 0 });
    const both = edgeShapes([{ id: 'a->b', source: 'a', target: 'b' }, { id: 'b->a', source: 'b', target: 'a' }], positions);
    expect(both.get('a->b')).toMatchObject({ y1: PAIR_OFFSET, y2: PAIR_OFFSET });
    expect(both.get('b->a')).toMatchObject({ y1: -PAIR_OFFSET, y2: -PAIR_OFFSET });
  });

  it('loops a self-edge and skips edges whose nodes are not placed', () => {
    const shapes = edgeShapes([{ id: 'a->a', source: 'a', target: 'a' }, { id: 'a->z', source: 'a', target: 'z' }], positions);
    expect(shapes.get('a->a')).toMatchObject({ loop: true });
    expect(shapes.has('a->z')).toBe(false);
  });
});

describe('keepUnmovedShapes', () => {
  it('keeps the old object for an edge that did not move, and the new one for an edge that did', () => {
    const edges = [{ id: 'a->b', source: 'a', target: 'b' }, { id: 'b->c', source: 'b', target: 'c' }];
    const before = edgeShapes(edges, new Map([['a', { x: 0, y: 0 }], ['b', { x: 100, y: 0 }], ['c', { x: 0, y: 100 }]]));
    const after = keepUnmovedShapes(before, edgeShapes(edges, new Map([['a', { x: 0, y: 0 }], ['b', { x: 100, y: 0 }], ['c', { x: 50, y: 100 }]])));
    expect(after.get('a->b')).toBe(before.get('a->b'));
    expect(after.get('b->c')).not.toBe(before.get('b->c'));
    expect(after.get('b->c')).toMatchObject({ x2: expect.any(Number) });
  });
});

describe('hitBand', () => {
  it('is a band of the given half width around the line, with an area even when the line is straight across', () => {
    expect(hitBand({ loop: false, x1: 0, y1: 10, x2: 100, y2: 10 }, 6)).toBe('0,16 100,16 100,4 0,4');
    expect(hitBand({ loop: false, x1: 5, y1: 0, x2: 5, y2: 50 }, 6)).toBe('-1,0 -1,50 11,50 11,0');
  });
});
