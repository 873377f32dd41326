import React, { ChangeEvent } from 'react';
import { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Field, FieldSet, Input, SecretInput } from '@grafana/ui';
import { SaasmonOptions, SaasmonSecureJsonData } from '../types';

type Props = DataSourcePluginOptionsEditorProps<SaasmonOptions, SaasmonSecureJsonData>;

/** URL of the exporter (as Grafana's server reaches it) and its API token, kept in secureJsonData. */
export function ConfigEditor({ options, onOptionsChange }: Props) {
  const { jsonData, secureJsonFields, secureJsonData } = options;

  const onUrlChange = (event: ChangeEvent<HTMLInputElement>) => {
    onOptionsChange({ ...options, jsonData: { ...jsonData, url: event.target.value.trim() } });
  };
  const onTokenChange = (event: ChangeEvent<HTMLInputElement>) => {
    onOptionsChange({ ...options, secureJsonData: { apiToken: event.target.value } });
  };
  const onTokenReset = () => {
    onOptionsChange({
      ...options,
      secureJsonFields: { ...secureJsonFields, apiToken: false },
      secureJsonData: { ...secureJsonData, apiToken: '' },
    });
  };
  const urlInvalid = !!jsonData.url && !/^https?:\/\/[^\s]+$/.test(jsonData.url);

  return (
    <FieldSet label="saasmon exporter">
      <Field
        label="URL"
        description="Base URL of the saasmon exporter as Grafana's server reaches it, e.g. http://exporter:9471"
        invalid={urlInvalid}
        error={urlInvalid ? 'Must start with http:// or https://' : undefined}
      >
        <Input id="saasmon-url" value={jsonData.url ?? ''} placeholder="http://exporter:9471" width={50} onChange={onUrlChange} />
      </Field>
      <Field label="API token" description="A token with the query scope; stored encrypted, sent only by Grafana's server">
        <SecretInput
          id="saasmon-token"
          isConfigured={!!secureJsonFields?.apiToken}
          value={secureJsonData?.apiToken ?? ''}
          placeholder="token with the query scope"
          width={50}
          onReset={onTokenReset}
          onChange={onTokenChange}
        />
      </Field>
    </FieldSet>
  );
}
