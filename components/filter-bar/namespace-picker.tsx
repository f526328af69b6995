'use client';

import { MultiValuePicker, type MultiValuePickerProps, type PickerNouns } from './multi-value-picker';

type NamespacePickerProps = Omit<MultiValuePickerProps, 'nouns' | 'compactSingle'>;

const NOUNS: PickerNouns = { one: 'namespace', many: 'namespaces', title: 'Namespaces' };

/**
 * Picks namespaces as `--namespace` flags: flows with either side in any picked namespace, the way
 * `hubble observe --namespace a --namespace b` selects them; "All namespaces" is no namespace flag.
 */
export function NamespacePicker(props: NamespacePickerProps) {
  return <MultiValuePicker nouns={NOUNS} {...props} />;
}
