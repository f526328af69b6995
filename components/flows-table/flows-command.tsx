'use client';

import { useCopy } from './use-copy';

interface FlowsCommandProps {
  command: string;
  /** Downloads of every flow in the view's window (not only the loaded rows). */
  jsonpbHref: string;
  csvHref: string;
}

/** The canonical `hubble observe` command for the view, readable and copyable, and the exports of the same flows. */
export function FlowsCommand({ command, jsonpbHref, csvHref }: FlowsCommandProps) {
  const [copy, copyText] = useCopy();
  return (
    <section className="command-bar" aria-label="Command">
      <code className="command">{command}</code>
      <button type="button" onClick={() => copyText(command)}>Copy as hubble observe command</button>
      <a href={jsonpbHref} download>Export jsonpb</a>
      <a href={csvHref} download>Export CSV</a>
      <span className="muted" role="status">
        {copy === 'copied' ? 'Copied.' : copy === 'failed' ? 'Clipboard unavailable: select the command above.' : ''}
      </span>
    </section>
  );
}
