import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { DataSourceSettings } from '@grafana/data';
import { ConfigEditor } from './ConfigEditor';
import { SaasmonOptions, SaasmonSecureJsonData } from '../types';

function settings(over: Partial<DataSourceSettings<SaasmonOptions, SaasmonSecureJsonData>> = {}) {
  return {
    id: 1,
    uid: 'saasmon-analytics',
    orgId: 1,
    name: 'saasmon',
    type: 'saasmon-analytics-datasource',
    typeName: 'saasmon analytics',
    typeLogoUrl: '',
    access: 'proxy',
    url: '',
    user: '',
    database: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    jsonData: { url: 'http://exporter:9471' },
    secureJsonFields: {},
    readOnly: false,
    withCredentials: false,
    ...over,
  } as DataSourceSettings<SaasmonOptions, SaasmonSecureJsonData>;
}

it('edits the exporter URL into jsonData', () => {
  const onOptionsChange = jest.fn();
  render(<ConfigEditor options={settings()} onOptionsChange={onOptionsChange} />);
  fireEvent.change(screen.getByDisplayValue('http://exporter:9471'), { target: { value: ' http://saasmon:9471 ' } });
  expect(onOptionsChange).toHaveBeenCalledWith(expect.objectContaining({ jsonData: { url: 'http://saasmon:9471' } }));
});

it('flags a URL without a scheme', () => {
  render(<ConfigEditor options={settings({ jsonData: { url: 'exporter:9471' } })} onOptionsChange={jest.fn()} />);
  expect(screen.getByText('Must start with http:// or https://')).toBeInTheDocument();
});

it('keeps the token in secureJsonData, never in jsonData', () => {
  const onOptionsChange = jest.fn();
  render(<ConfigEditor options={settings()} onOptionsChange={onOptionsChange} />);
  fireEvent.change(screen.getByPlaceholderText('token with the query scope'), { target: { value: 's3cret-token' } });
  const next = onOptionsChange.mock.calls[0][0];
  expect(next.secureJsonData).toEqual({ apiToken: 's3cret-token' });
  expect(JSON.stringify(next.jsonData)).not.toContain('s3cret');
});

it('shows a configured token as set and resets it', () => {
  const onOptionsChange = jest.fn();
  render(<ConfigEditor options={settings({ secureJsonFields: { apiToken: true } })} onOptionsChange={onOptionsChange} />);
  expect(screen.getByDisplayValue('configured')).toBeInTheDocument();
  fireEvent.click(screen.getByRole('button', { name: /reset/i }));
  expect(onOptionsChange.mock.calls[0][0].secureJsonFields).toEqual({ apiToken: false });
});
