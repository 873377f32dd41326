import React from 'react';
import { QueryEditorProps } from '@grafana/data';
import { InlineField, Select } from '@grafana/ui';
import type { DataSource } from '../datasource';
import { SaasmonOptions, SaasmonQuery, SaasmonVariableQuery, VariableKind } from '../types';

const KINDS: Array<{ value: VariableKind; label: string }> = [
  { value: 'plans', label: 'Plans' },
  { value: 'segments', label: 'Segments' },
  { value: 'channels', label: 'Acquisition channels' },
  { value: 'event_names', label: 'Event names (last 90 days)' },
  { value: 'experiments', label: 'Experiments' },
  { value: 'tenants', label: 'Tenants' },
  { value: 'locations', label: 'Backup locations' },
];

type Props = QueryEditorProps<DataSource, SaasmonQuery, SaasmonOptions, SaasmonVariableQuery>;

/** The variable query: which list of the exporter. A saved bare string ("plans") shows as its list. */
export function VariableQueryEditor({ query, onChange }: Props) {
  const saved: unknown = query;
  const of = typeof saved === 'string' ? saved : query?.of;
  return (
    <InlineField label="Values of" labelWidth={16}>
      <Select
        inputId="saasmon-variable-kind"
        options={KINDS}
        value={of}
        width={32}
        onChange={(v) => v.value && onChange({ refId: query?.refId || 'SaasmonVariableQuery', of: v.value as VariableKind })}
      />
    </InlineField>
  );
}
