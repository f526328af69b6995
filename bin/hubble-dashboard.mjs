#!/usr/bin/env node
// The command line. The server is TypeScript run through tsx's loader, so there is no separate
// compile step to forget; the web UI is built by `start` when it is missing or stale.
import { register } from 'tsx/esm/api';

register();
await import('../server/cli/main.ts');
