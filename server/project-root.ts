import { fileURLToPath } from 'node:url';

/** The repository root (where package.json, app/ and proto/ live), whatever the working directory. */
export const projectRoot: string = fileURLToPath(new URL('..', import.meta.url));
