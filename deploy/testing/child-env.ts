/**
 * An environment for a child process made of exactly the given variables: nothing inherited, so
 * a developer's exported settings cannot change what a test sees. (Next's types declare NODE_ENV
 * as always present in ProcessEnv; a child's environment need not have it.) Test code only.
 */
export function childEnv(vars: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(vars)) if (value !== undefined) env[name] = value;
  return env as unknown as NodeJS.ProcessEnv;
}
