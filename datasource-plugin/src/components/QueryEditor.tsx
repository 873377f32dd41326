import React, { useEffect, useState } from 'react';
import { QueryEditorProps, SelectableValue } from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import { InlineField, InlineFieldRow, Input, MultiSelect, RadioButtonGroup, Select } from '@grafana/ui';
import { contractOf, enumField, hasField } from '@saasmon/contract';
import { DataSource } from '../datasource';
import { Breakdown, Interval, QUERY_TYPES, QueryType, SaasmonOptions, SaasmonQuery, VariableKind } from '../types';

type Props = QueryEditorProps<DataSource, SaasmonQuery, SaasmonOptions>;

const INTERVALS: Array<SelectableValue<Interval>> = [
  { value: 'day', label: 'Day' },
  { value: 'week', label: 'Week' },
  { value: 'month', label: 'Month' },
];
const BREAKDOWNS: Array<SelectableValue<Breakdown>> = [
  { value: 'plan', label: 'Plan' },
  { value: 'segment', label: 'Segment' },
  { value: 'channel', label: 'Channel' },
];
const LABEL_WIDTH = 18;

/** Options from the exporter's `variables` query, plus the dashboard's template variables. */
function useValues(datasource: DataSource, of: VariableKind, enabled: boolean): Array<SelectableValue<string>> {
  const [values, setValues] = useState<Array<SelectableValue<string>>>([]);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    datasource
      .fetchValues(of)
      .then((found) => live && setValues(found.map((v) => ({ value: String(v.value), label: v.text }))))
      .catch(() => live && setValues([]));
    return () => {
      live = false;
    };
  }, [datasource, of, enabled]);
  return values;
}

function withVariables(options: Array<SelectableValue<string>>): Array<SelectableValue<string>> {
  const vars = getTemplateSrv()
    .getVariables()
    .map((v) => `$${v.name}`);
  return [...vars.map((v) => ({ value: v, label: v })), ...options];
}

/** A query type picker and, under it, the form of the picked type. */
export function QueryEditor({ query, onChange, onRunQuery, datasource }: Props) {
  const type = query.queryType;
  // What the query type's contract says it takes: a period, plans (or tenant filters).
  const schema = type ? contractOf(type)?.schema : undefined;
  const period = schema ? enumField(schema, 'interval') : undefined;
  const needsEvents = type === 'funnel' || type === 'retention';
  const needsPlans = !!schema && (hasField(schema, 'plans') || hasField(schema, 'filters'));
  const events = withVariables(useValues(datasource, 'event_names', needsEvents));
  const plans = withVariables(useValues(datasource, 'plans', needsPlans));
  const experiments = withVariables(useValues(datasource, 'experiments', type === 'experiment'));

  const update = (patch: Partial<SaasmonQuery>, run = true) => {
    onChange({ ...query, ...patch });
    if (run) onRunQuery();
  };
  const list = (v: Array<SelectableValue<string>>) => v.map((o) => o.value).filter((x): x is string => !!x);
  const selected = (values: string[] | undefined) => (values ?? []).map((v) => ({ value: v, label: v }));
  const number = (s: string) => (s.trim() === '' ? undefined : Number(s));

  return (
    <div>
      <InlineFieldRow>
        <InlineField label="Query type" labelWidth={LABEL_WIDTH}>
          <Select
            inputId="saasmon-query-type"
            width={32}
            options={QUERY_TYPES.map((t) => ({ value: t.value, label: t.label, description: t.description }))}
            value={type}
            onChange={(v) => update({ queryType: v.value as QueryType })}
          />
        </InlineField>
        {period && (
          <InlineField label="Period" labelWidth={10}>
            <RadioButtonGroup
              options={INTERVALS.filter((i) => i.value && period.values.includes(i.value))}
              value={query.interval ?? (period.default as Interval | undefined)}
              onChange={(v) => update({ interval: v })}
            />
          </InlineField>
        )}
      </InlineFieldRow>

      {type === 'funnel' && (
        <>
          <InlineFieldRow>
            <InlineField label="Steps" labelWidth={LABEL_WIDTH} tooltip="2 to 10 event names, in order">
              <MultiSelect
                inputId="saasmon-funnel-steps"
                width={60}
                options={events}
                value={selected(query.steps)}
                allowCustomValue
                onChange={(v) => update({ steps: list(v) }, list(v).length >= 2)}
              />
            </InlineField>
          </InlineFieldRow>
          <InlineFieldRow>
            <InlineField label="Window (days)" labelWidth={LABEL_WIDTH}>
              <Input
                id="saasmon-funnel-window"
                type="number"
                width={10}
                min={1}
                max={90}
                placeholder="14"
                value={query.windowDays ?? ''}
                onChange={(e) => update({ windowDays: number(e.currentTarget.value) }, false)}
                onBlur={onRunQuery}
              />
            </InlineField>
            <InlineField label="Breakdown" labelWidth={12}>
              <Select
                inputId="saasmon-breakdown"
                width={16}
                isClearable
                options={BREAKDOWNS}
                value={query.breakdown}
                onChange={(v) => update({ breakdown: v?.value })}
              />
            </InlineField>
          </InlineFieldRow>
        </>
      )}

      {type === 'retention' && (
        <InlineFieldRow>
          <InlineField label="Periods" labelWidth={LABEL_WIDTH} tooltip="How many periods after the signup period (1-52)">
            <Input
              id="saasmon-retention-periods"
              type="number"
              width={10}
              min={1}
              max={52}
              placeholder="12"
              value={query.periods ?? ''}
              onChange={(e) => update({ periods: number(e.currentTarget.value) }, false)}
              onBlur={onRunQuery}
            />
          </InlineField>
          <InlineField label="Counts" labelWidth={10}>
            <RadioButtonGroup
              options={[
                { value: 'return_on', label: 'Return on' },
                { value: 'on_or_after', label: 'On or after' },
              ]}
              value={query.retentionMode ?? 'return_on'}
              onChange={(v) => update({ retentionMode: v as SaasmonQuery['retentionMode'] })}
            />
          </InlineField>
          <InlineField label="Return event" labelWidth={14} tooltip="Only this event counts as a return (default: any)">
            <Select
              inputId="saasmon-return-event"
              width={30}
              isClearable
              allowCustomValue
              options={events}
              value={query.returnEvent}
              onChange={(v) => update({ returnEvent: v?.value })}
            />
          </InlineField>
        </InlineFieldRow>
      )}

      {needsPlans && (
        <InlineFieldRow>
          <InlineField label="Plans" labelWidth={LABEL_WIDTH} tooltip="Only tenants on these plans (empty: all)">
            <MultiSelect
              inputId="saasmon-plans"
              width={40}
              options={plans}
              value={selected(query.plans)}
              allowCustomValue
              onChange={(v) => update({ plans: list(v) })}
            />
          </InlineField>
        </InlineFieldRow>
      )}

      {type === 'experiment' && (
        <InlineFieldRow>
          <InlineField label="Experiment" labelWidth={LABEL_WIDTH}>
            <Select
              inputId="saasmon-experiment"
              width={40}
              options={experiments}
              allowCustomValue
              value={query.experiment}
              onChange={(v) => update({ experiment: v?.value })}
            />
          </InlineField>
          <InlineField label="Control" labelWidth={10}>
            <Input
              id="saasmon-control"
              width={16}
              placeholder="control"
              value={query.control ?? ''}
              onChange={(e) => update({ control: e.currentTarget.value || undefined }, false)}
              onBlur={onRunQuery}
            />
          </InlineField>
        </InlineFieldRow>
      )}

      {type === 'tenant_health' && (
        <InlineFieldRow>
          <InlineField label="Page size" labelWidth={LABEL_WIDTH}>
            <Input
              id="saasmon-page-size"
              type="number"
              width={10}
              min={1}
              max={1000}
              placeholder="100"
              value={query.pageSize ?? ''}
              onChange={(e) => update({ pageSize: number(e.currentTarget.value) }, false)}
              onBlur={onRunQuery}
            />
          </InlineField>
          <InlineField label="Page" labelWidth={8}>
            <Input
              id="saasmon-page"
              type="number"
              width={8}
              min={1}
              placeholder="1"
              value={query.page ?? ''}
              onChange={(e) => update({ page: number(e.currentTarget.value) }, false)}
              onBlur={onRunQuery}
            />
          </InlineField>
        </InlineFieldRow>
      )}
    </div>
  );
}
