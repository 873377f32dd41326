import { DataSourcePlugin } from '@grafana/data';
import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { DataSource } from './datasource';
import { SaasmonOptions, SaasmonQuery } from './types';

// Variables (CustomVariableSupport) and annotations (AnnotationSupport) are set on the DataSource.
export const plugin = new DataSourcePlugin<DataSource, SaasmonQuery, SaasmonOptions>(DataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
