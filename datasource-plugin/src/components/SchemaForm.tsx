import React, { useEffect, useState } from 'react';
import { SelectableValue } from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import { InlineField, InlineFieldRow, InlineSwitch, Input, MultiSelect, RadioButtonGroup, Select, TagsInput } from '@grafana/ui';
import { FieldSpec, SavedValue, VariableKind } from '@saasmon/contract';
import { DataSource } from '../datasource';

// The form of any query type, generated from its contract: one input per body field of the
// schema (the panel's time range fills from/to), read from and written to the saved params.

const LABEL_WIDTH = 18;

/** 'windowDays' -> 'Window days', 'on_or_after' -> 'On or after'. */
export function humanize(name: string): string {
  const words = name
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const labelOf = (f: FieldSpec) => f.hint.label ?? (f.name === 'interval' ? 'Period' : humanize(f.name));

/** Options from the exporter's `variables` query, plus the dashboard's template variables. */
function useValues(datasource: DataSource, of: VariableKind | undefined): Array<SelectableValue<string>> {
  const [values, setValues] = useState<Array<SelectableValue<string>>>([]);
  useEffect(() => {
    if (!of) return;
    let live = true;
    datasource
      .fetchValues(of)
      .then((found) => live && setValues(found.map((v) => ({ value: String(v.value), label: v.text }))))
      .catch(() => live && setValues([]));
    return () => {
      live = false;
    };
  }, [datasource, of]);
  const vars = getTemplateSrv()
    .getVariables()
    .map((v) => `$${v.name}`);
  return [...vars.map((v) => ({ value: v, label: v })), ...values];
}

export interface FieldProps {
  field: FieldSpec;
  value: SavedValue | undefined;
  /** A new value; `run` false for typing (the query runs on blur). */
  onChange: (value: SavedValue | undefined, run?: boolean) => void;
  onRunQuery: () => void;
  datasource: DataSource;
}

const idOf = (f: FieldSpec) => `saasmon-${f.name}`;
const strings = (v: SavedValue | undefined): string[] =>
  Array.isArray(v) ? v.map(String) : v === undefined || typeof v === 'object' ? [] : [String(v)];

function ListInput({ field, value, onChange, datasource }: FieldProps) {
  const options = useValues(datasource, field.hint.values);
  const element = field.element;
  if (element?.kind === 'number') {
    const tags = strings(value);
    const toValue = (t: string) => (t.trim() !== '' && Number.isFinite(Number(t)) ? Number(t) : t);
    return (
      <TagsInput
        id={idOf(field)}
        width={40}
        placeholder={Array.isArray(field.default) ? field.default.join(', ') : 'add a value, Enter'}
        tags={tags}
        onChange={(t) => onChange(t.length ? t.map(toValue) : undefined)}
      />
    );
  }
  const all = element?.kind === 'enum' ? (element.options ?? []).map((o) => ({ value: o, label: humanize(o) })) : options;
  return (
    <MultiSelect
      inputId={idOf(field)}
      width={50}
      options={all}
      value={strings(value).map((v) => all.find((o) => o.value === v) ?? { value: v, label: v })}
      allowCustomValue
      placeholder={field.hint.placeholder}
      onChange={(v: Array<SelectableValue<string>>) => {
        const list = v.map((o) => o.value).filter((x): x is string => !!x);
        onChange(list.length ? list : undefined, list.length >= (field.required ? (field.min ?? 1) : 0));
      }}
    />
  );
}

function StringInput({ field, value, onChange, onRunQuery, datasource }: FieldProps) {
  const options = useValues(datasource, field.hint.values);
  const placeholder = field.hint.placeholder ?? (field.default === undefined ? undefined : String(field.default));
  if (field.hint.values) {
    return (
      <Select
        inputId={idOf(field)}
        width={32}
        isClearable={!field.required}
        allowCustomValue
        options={options}
        placeholder={placeholder}
        value={value === undefined ? null : String(value)}
        onChange={(v) => onChange(v?.value || undefined)}
      />
    );
  }
  return (
    <Input
      id={idOf(field)}
      width={24}
      placeholder={placeholder}
      value={value === undefined ? '' : String(value)}
      onChange={(e) => onChange(e.currentTarget.value || undefined, false)}
      onBlur={onRunQuery}
    />
  );
}

/** The input of one field, by its kind. */
export function FieldInput(props: FieldProps) {
  const { field, value, onChange, onRunQuery } = props;
  switch (field.kind) {
    case 'enum': {
      const options = (field.options ?? []).map((o) => ({ value: o, label: humanize(o) }));
      const current = typeof value === 'string' && field.options?.includes(value) ? value : (field.default as string | undefined);
      if (options.length <= 4 && !field.hint.values) {
        return <RadioButtonGroup options={options} value={current} onChange={(v) => onChange(v)} />;
      }
      return (
        <Select
          inputId={idOf(field)}
          width={24}
          isClearable={!field.required}
          options={options}
          value={current ?? null}
          onChange={(v) => onChange(v?.value)}
        />
      );
    }
    case 'number':
      return (
        <Input
          id={idOf(field)}
          type="number"
          width={12}
          min={field.min}
          max={field.max}
          step={field.integer ? 1 : 'any'}
          placeholder={field.hint.placeholder ?? (field.default === undefined ? undefined : String(field.default))}
          value={value === undefined ? '' : String(value)}
          onChange={(e) => {
            const s = e.currentTarget.value.trim();
            onChange(s === '' ? undefined : Number.isFinite(Number(s)) ? Number(s) : s, false);
          }}
          onBlur={onRunQuery}
        />
      );
    case 'boolean':
      return (
        <InlineSwitch
          id={idOf(field)}
          value={typeof value === 'boolean' ? value : value === undefined ? Boolean(field.default) : value === 'true'}
          onChange={(e) => onChange(e.currentTarget.checked)}
        />
      );
    case 'list':
      return <ListInput {...props} />;
    default:
      return <StringInput {...props} />;
  }
}

export interface SchemaFormProps {
  fields: FieldSpec[];
  values: Record<string, SavedValue>;
  onChange: (name: string, value: SavedValue | undefined, run?: boolean) => void;
  onRunQuery: () => void;
  datasource: DataSource;
}

/** Every field but the time range; the tenant filters as one picker per attribute. */
export function SchemaForm({ fields, values, onChange, onRunQuery, datasource }: SchemaFormProps) {
  const shown = fields.filter((f) => f.name !== 'from' && f.name !== 'to');
  const scalars = shown.filter((f) => f.kind !== 'list' && f.kind !== 'object');
  const field = (f: FieldSpec, value: SavedValue | undefined, set: FieldProps['onChange']) => (
    <InlineField key={f.name} htmlFor={idOf(f)} label={labelOf(f)} labelWidth={LABEL_WIDTH} tooltip={f.hint.description}>
      <FieldInput field={f} value={value} onChange={set} onRunQuery={onRunQuery} datasource={datasource} />
    </InlineField>
  );
  return (
    <>
      {scalars.length > 0 && (
        <InlineFieldRow>{scalars.map((f) => field(f, values[f.name], (v, run) => onChange(f.name, v, run)))}</InlineFieldRow>
      )}
      {shown
        .filter((f) => f.kind === 'list')
        .map((f) => (
          <InlineFieldRow key={f.name}>{field(f, values[f.name], (v, run) => onChange(f.name, v, run))}</InlineFieldRow>
        ))}
      {shown
        .filter((f) => f.kind === 'object')
        .flatMap((o) => {
          const current = (values[o.name] ?? {}) as Record<string, string[] | undefined>;
          return (o.fields ?? []).map((sub) => (
            <InlineFieldRow key={`${o.name}.${sub.name}`}>
              {field(sub, current[sub.name], (v, run) => {
                const next = { ...current, [sub.name]: v as string[] | undefined };
                if (v === undefined) delete next[sub.name];
                onChange(o.name, Object.keys(next).length ? next : undefined, run);
              })}
            </InlineFieldRow>
          ));
        })}
    </>
  );
}
