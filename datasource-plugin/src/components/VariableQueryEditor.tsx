import React from 'react';
import { InlineField, Select } from '@grafana/ui';
import { SaasmonVariableQuery, VariableKind } from '../types';

const KINDS: Array<{ value: VariableKind; label: string }> = [
  { value: 'plans', label: 'Plans' },
  { value: 'segments', label: 'Segments' },
  { value: 'channels', label: 'Acquisition channels' },
  { value: 'event_names', label: 'Event names (last 90 days)' },
  { value: 'experiments', label: 'Experiments' },
  { value: 'tenants', label: 'Tenants' },
  { value: 'locations', label: 'Backup locations' },
];

interface Props {
  query: SaasmonVariableQuery;
  onChange: (query: SaasmonVariableQuery, definition: string) => void;
}

export function VariableQueryEditor({ query, onChange }: Props) {
  return (
    <InlineField label="Values of" labelWidth={16}>
      <Select
        inputId="saasmon-variable-kind"
        options={KINDS}
        value={query?.of}
        width={32}
        onChange={(v) => v.value && onChange({ of: v.value }, `saasmon: ${v.label}`)}
      />
    </InlineField>
  );
}
