// The collector thread's entry: a worker does not inherit the main thread's TypeScript loader,
// so it registers tsx's (as bin/hubble-dashboard.mjs does) before it loads the thread's code.
import { register } from 'tsx/esm/api';

register();
await import('./collector-thread-worker.ts');
