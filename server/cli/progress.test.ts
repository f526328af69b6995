import { describe, expect, it } from 'vitest';
import { createProgress, formatBytes, formatEta, formatProgressBar, formatProgressLine, type ProgressOutput } from './progress';

function fakeOut(isTTY: boolean): ProgressOutput & { text: string } {
  return {
    isTTY,
    columns: 120,
    text: '',
    write(s: string) {
      this.text += s;
      return true;
    },
  };
}

const MiB = 1024 * 1024;

describe('formatters', () => {
  it('formats sizes and durations', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(27.4 * MiB)).toBe('27.4 MiB');
    expect(formatBytes(3 * 1024 * MiB)).toBe('3.0 GiB');
    expect(formatEta(7)).toBe('0:07');
    expect(formatEta(725)).toBe('12:05');
    expect(formatEta(3723)).toBe('1:02:03');
  });

  it('draws a bar with percentage, sizes, lines, rate and ETA', () => {
    const line = formatProgressBar({ label: 'import', bytes: 5 * MiB, totalBytes: 10 * MiB, lines: 1234, flows: 1200, flowsPerS: 45678.4, etaS: 12 }, 120);
    expect(line).toBe(`import  50% [${'#'.repeat(15)}${'-'.repeat(15)}] 5.0/10.0 MiB 1,234 lines 45,678 flows/s ETA 0:12`);
    expect(formatProgressBar({ label: 'import', bytes: 5 * MiB, totalBytes: 10 * MiB, lines: 1, flows: 1, flowsPerS: 1 }, 80))
      .toMatch(/^import  50% \[#{6}-{5}\] /);
  });

  it('fits the terminal: the bar shrinks, then goes', () => {
    const v = { label: 'import', bytes: 512, totalBytes: 27.4 * MiB, lines: 123_456, flows: 1, flowsPerS: 45_678, etaS: 3725 };
    const at80 = formatProgressBar(v, 80);
    expect(at80.length).toBeLessThanOrEqual(79);
    expect(at80).toMatch(/^import {3}0% \[-{9}\] 512 B\/27\.4 MiB 123,456 lines 45,678 flows\/s ETA 1:02:05$/);
    expect(formatProgressBar(v, 70)).toBe('import   0% 512 B/27.4 MiB 123,456 lines 45,678 flows/s ETA 1:02:05');
    expect(formatProgressBar(v, 40)).toHaveLength(39);
  });

  it('leaves out the percentage when the total is unknown (stdin)', () => {
    const v = { label: 'import', bytes: 2 * MiB, lines: 10, flows: 9, flowsPerS: 3 };
    expect(formatProgressBar(v)).toBe('import 2.0 MiB 10 lines 3 flows/s ETA ?');
    expect(formatProgressLine(v)).toBe('import: 2.0 MiB, 10 lines, 9 flows, 3 flows/s, ETA ?');
  });
});

describe('createProgress', () => {
  it('redraws the bar in place on a terminal, at most once per interval', () => {
    let now = 0;
    const out = fakeOut(true);
    const p = createProgress({ out, label: 'import', totalBytes: 10 * MiB, clock: () => now, redrawMs: 100 });
    now = 50;
    p.update({ bytes: MiB, lines: 100, flows: 0 });
    expect(out.text).toBe('');
    now = 1000;
    p.update({ bytes: 2 * MiB, lines: 200, flows: 2000 });
    expect(out.text.startsWith('\rimport  20% [')).toBe(true);
    expect(out.text).toContain('2,000 flows/s');
    // 2 MiB in 1 s, 8 MiB left: 4 s.
    expect(out.text).toContain('ETA 0:04');
    expect(out.text).not.toContain('\n');
  });

  it('prints messages above the bar and clears it when finished', () => {
    let now = 0;
    const out = fakeOut(true);
    const p = createProgress({ out, label: 'import', totalBytes: 100, clock: () => now });
    now = 200;
    p.update({ bytes: 10, lines: 1, flows: 1 });
    out.text = '';
    p.message('line 17: not valid JSON: Unexpected token');
    expect(out.text.startsWith('\r\x1b[Kline 17: not valid JSON: Unexpected token\n\rimport  10% [')).toBe(true);
    out.text = '';
    p.finish();
    expect(out.text).toBe('\r\x1b[K');
    p.update({ bytes: 100, lines: 10, flows: 10 });
    expect(out.text).toBe('\r\x1b[K');
  });

  it('writes plain periodic lines when not on a terminal', () => {
    let now = 0;
    const out = fakeOut(false);
    const p = createProgress({ out, label: 'import', totalBytes: 100, clock: () => now, logEveryMs: 5000 });
    for (now = 1000; now <= 11_000; now += 1000) p.update({ bytes: now / 1000, lines: now / 100, flows: now / 100 });
    const lines = out.text.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('import: 5/100 B (5%), 50 lines, 50 flows, 10 flows/s, ETA 1:35');
    expect(out.text).not.toContain('\r');
    p.message('line 3: bad');
    p.finish();
    expect(out.text.endsWith('line 3: bad\n')).toBe(true);
  });
});
