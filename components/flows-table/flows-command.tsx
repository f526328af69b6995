'use client';

import { useState } from 'react';

type CopyState = 'idle' | 'copied' | 'failed';

/** The canonical `hubble observe` command for the view, readable, copyable, and the matching jsonpb export. */
export function FlowsCommand({ command, exportHref }: { command: string; exportHref: string }) {
  const [copy, setCopy] = useState<CopyState>('idle');

  async function copyCommand() {
    try {
      await navigator.clipboard.writeText(command);
      setCopy('copied');
    } catch {
      setCopy('failed');
    }
  }

  return (
    <section className="command-bar" aria-label="Command">
      <code className="command">{command}</code>
      <button type="button" onClick={copyCommand}>Copy as hubble observe command</button>
      <a href={exportHref} download>Export jsonpb</a>
      <span className="muted" role="status">
        {copy === 'copied' ? 'Copied.' : copy === 'failed' ? 'Clipboard unavailable: select the command above.' : ''}
      </span>
    </section>
  );
}
