import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (where package.json, app/ and proto/ live), whatever the working directory. */
// Not `new URL('..', import.meta.url)`: Next's bundler (Turbopack) takes that form for an asset
// reference to the folder and fails to resolve it when a route handler imports server/store.
export const projectRoot: string = resolve(dirname(fileURLToPath(import.meta.url)), '..');
