import React from 'react';
import { QueryEditorProps } from '@grafana/data';
import { InlineField, InlineFieldRow, Select } from '@grafana/ui';
import { contractOf, fieldsOf, savedParams, withParam } from '@saasmon/contract';
import { DataSource } from '../datasource';
import { isComplete } from '../request';
import { QUERY_TYPES, QueryType, SaasmonOptions, SaasmonQuery } from '../types';
import { SchemaForm } from './SchemaForm';

type Props = QueryEditorProps<DataSource, SaasmonQuery, SaasmonOptions>;

/** A query type picker and, under it, the form of the picked type, generated from its contract. */
export function QueryEditor({ query, onChange, onRunQuery, datasource }: Props) {
  const contract = query.queryType ? contractOf(query.queryType) : undefined;

  const update = (next: SaasmonQuery, run = true) => {
    onChange(next);
    // An incomplete query (e.g. a funnel with one step) is not run: it would only answer an error.
    if (run && isComplete(next)) onRunQuery();
  };

  return (
    <div>
      <InlineFieldRow>
        <InlineField label="Query type" labelWidth={18}>
          <Select
            inputId="saasmon-query-type"
            width={32}
            options={QUERY_TYPES.map((t) => ({ value: t.value, label: t.label, description: t.description }))}
            value={query.queryType}
            onChange={(v) => update({ ...query, queryType: v.value as QueryType })}
          />
        </InlineField>
      </InlineFieldRow>
      {contract && (
        <SchemaForm
          fields={fieldsOf(contract)}
          values={savedParams(query, contract.schema)}
          onChange={(name, value, run) => update(withParam(query, contract.schema, name, value), run)}
          onRunQuery={() => isComplete(query) && onRunQuery()}
          datasource={datasource}
        />
      )}
    </div>
  );
}
