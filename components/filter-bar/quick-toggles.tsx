'use client';

import { useId } from 'react';
import { TOGGLE_OPTIONS, type FlagControlState, type FlagsState, type ToggleFlag } from './flags-edit';

const GROUPS: ReadonlyArray<{ flag: ToggleFlag; legend: string; label: (value: string) => string }> = [
  { flag: 'verdict', legend: 'Verdict', label: (v) => v },
  { flag: 'protocol', legend: 'Protocol', label: (v) => (v === 'kafka' ? 'Kafka' : v.toUpperCase()) },
  { flag: 'traffic-direction', legend: 'Direction', label: (v) => `${v[0].toUpperCase()}${v.slice(1)}` },
];

interface QuickTogglesProps {
  state: FlagsState['toggles'];
  onToggle: (flag: ToggleFlag, value: string, on: boolean) => void;
}

/** Verdict, protocol and direction as checkboxes over the flags text (`--verdict DROPPED`, ...). */
export function QuickToggles({ state, onToggle }: QuickTogglesProps) {
  return (
    <div className="quick-toggles">
      {GROUPS.map((g) => (
        <ToggleGroup key={g.flag} {...g} control={state[g.flag]} onToggle={(value, on) => onToggle(g.flag, value, on)} />
      ))}
    </div>
  );
}

interface ToggleGroupProps {
  flag: ToggleFlag;
  legend: string;
  label: (value: string) => string;
  control: FlagControlState;
  onToggle: (value: string, on: boolean) => void;
}

/**
 * One flag's values. When the flags mean something these boxes cannot show, every box is
 * indeterminate and disabled, and the reason is the group's tooltip and description.
 */
function ToggleGroup({ flag, legend, label, control, onToggle }: ToggleGroupProps) {
  const reasonId = useId();
  const reason = control.editable ? undefined : control.reason;
  return (
    <fieldset className="toggle-group" disabled={!control.editable} title={reason} aria-describedby={reason ? reasonId : undefined}>
      <legend title={reason}>{legend}</legend>
      {TOGGLE_OPTIONS[flag].map((value) => (
        <label key={value} className="chip">
          <input
            type="checkbox"
            checked={control.editable && control.selected.includes(value)}
            ref={(el) => {
              if (el) el.indeterminate = !control.editable;
            }}
            onChange={(e) => onToggle(value, e.target.checked)}
          />
          {label(value)}
        </label>
      ))}
      {/* Disabled controls show no tooltip in every browser; the mark next to them does. */}
      {reason && <span className="toggle-reason" aria-hidden="true" title={reason}>?</span>}
      {reason && <span id={reasonId} className="visually-hidden">{reason}</span>}
    </fieldset>
  );
}
