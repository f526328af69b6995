'use client';

import type { FlagControlState } from './flags-edit';
import { MultiValuePicker, type PickerNouns } from './multi-value-picker';

interface NamespacePickerProps {
  control: FlagControlState;
  /** Namespaces seen in stored flows (any order). */
  seen: readonly string[];
  loading: boolean;
  loadError?: string;
  onChange: (namespaces: string[]) => void;
  /** Called when the list opens, to refresh what has been seen since. */
  onOpen?: () => void;
}

const NOUNS: PickerNouns = { one: 'namespace', many: 'namespaces', title: 'Namespaces' };

/**
 * Picks namespaces as `--namespace` flags: flows with either side in any picked namespace, the way
 * `hubble observe --namespace a --namespace b` selects them; "All namespaces" is no namespace flag.
 */
export function NamespacePicker(props: NamespacePickerProps) {
  return <MultiValuePicker nouns={NOUNS} {...props} />;
}
