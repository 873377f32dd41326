import { createDataFrame, CustomVariableSupport, DataQueryRequest, DataQueryResponse, FieldType, ScopedVars } from '@grafana/data';
import { VARIABLE_KINDS, VariableKind } from '@saasmon/contract';
import { from, Observable } from 'rxjs';
import { VariableQueryEditor } from './components/VariableQueryEditor';
import type { DataSource } from './datasource';
import { Replace } from './request';
import { SaasmonVariableQuery } from './types';

/**
 * Which list a saved variable query asks for: `{ of: 'plans' }` (what the editor saves, with or
 * without a refId) or a bare string, which older dashboards and hand-written ones hold, possibly
 * with a template variable in it.
 */
export function variableKindOf(query: unknown, replace: Replace, scopedVars?: ScopedVars): VariableKind | undefined {
  const raw = typeof query === 'string' ? query : (query as { of?: unknown } | undefined)?.of;
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  const of = replace(raw, scopedVars).trim();
  if (!(VARIABLE_KINDS as readonly string[]).includes(of)) {
    throw new Error(`saasmon variable: "${of}" is not a list the exporter offers (${VARIABLE_KINDS.join(', ')}).`);
  }
  return of as VariableKind;
}

/**
 * Query variables with saasmon's own editor (a list to pick), in place of the deprecated
 * setVariableQueryEditor hook. Custom rather than standard support: the variable query is not a
 * panel query (its `of` has no panel equivalent), and saved `{ of }` queries load unchanged.
 */
export class SaasmonVariableSupport extends CustomVariableSupport<DataSource, SaasmonVariableQuery> {
  editor = VariableQueryEditor;

  constructor(
    private readonly datasource: DataSource,
    private readonly replace: () => Replace,
  ) {
    super();
  }

  query(request: DataQueryRequest<SaasmonVariableQuery>): Observable<DataQueryResponse> {
    return from(
      (async () => {
        const of = variableKindOf(request.targets[0], this.replace(), request.scopedVars);
        const values = of ? await this.datasource.fetchValues(of) : [];
        const frame = createDataFrame({
          fields: [
            { name: 'text', type: FieldType.string, values: values.map((v) => v.text) },
            { name: 'value', type: FieldType.string, values: values.map((v) => String(v.value ?? v.text)) },
          ],
        });
        return { data: [frame] };
      })(),
    );
  }
}
