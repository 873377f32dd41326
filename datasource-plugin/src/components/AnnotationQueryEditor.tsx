import React from 'react';
import { QueryEditorProps, SelectableValue } from '@grafana/data';
import { InlineField, InlineFieldRow, MultiSelect } from '@grafana/ui';
import { ANNOTATION_KINDS } from '@saasmon/contract';
import { annotationQuery, KIND_LABELS } from '../annotations';
import { DataSource } from '../datasource';
import { SaasmonOptions, SaasmonQuery } from '../types';

type Props = QueryEditorProps<DataSource, SaasmonQuery, SaasmonOptions>;

const KINDS: Array<SelectableValue<string>> = ANNOTATION_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }));

/** The annotation query: which kinds to mark (all when none is picked), and the services of the incidents. */
export function AnnotationQueryEditor({ query, onChange }: Props) {
  const list = (v: Array<SelectableValue<string>>) => v.map((o) => o.value).filter((x): x is string => !!x);
  const selected = (values: string[] | undefined) => (values ?? []).map((v) => ({ value: v, label: v }));
  const kinds = query.kinds ?? [];
  const update = (kindsNext: string[], services: string[] | undefined) =>
    onChange(annotationQuery(query.refId || 'Anno', kindsNext, services));
  return (
    <InlineFieldRow>
      <InlineField
        label="Show"
        labelWidth={12}
        tooltip="Releases and DR tests are instants; incidents and experiments are regions (open ones run to now)."
      >
        <MultiSelect
          inputId="saasmon-annotation-kinds"
          aria-label="Show"
          width={48}
          placeholder="Everything"
          options={KINDS}
          value={KINDS.filter((k) => kinds.includes(k.value as string))}
          onChange={(v) => update(list(v), query.services)}
        />
      </InlineField>
      <InlineField label="Services" labelWidth={12} tooltip="Incidents affecting one of these services; other kinds have no service.">
        <MultiSelect
          inputId="saasmon-annotation-services"
          aria-label="Services"
          width={36}
          allowCustomValue
          placeholder="Any"
          options={selected(query.services)}
          value={selected(query.services)}
          onChange={(v) => update(kinds, list(v))}
        />
      </InlineField>
    </InlineFieldRow>
  );
}
