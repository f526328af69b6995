/** A namespace scope as stored with what a viewer created (`*`, or namespaces joined by commas). */
import type { NamespaceScope } from './namespace-scope';

export function scopeText(scope: NamespaceScope): string {
  return scope === '*' ? '*' : [...scope].sort().join(',');
}

export function scopeFromText(text: string): NamespaceScope {
  return text === '*' ? '*' : text.split(',').filter(Boolean);
}

/** Whether a viewer of `viewer` may see everything a creator of `creator` could. */
export function scopeCovers(viewer: NamespaceScope, creator: NamespaceScope): boolean {
  if (viewer === '*') return true;
  return creator !== '*' && creator.every((ns) => viewer.includes(ns));
}
