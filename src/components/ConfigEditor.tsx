import React, { ChangeEvent } from 'react';
import { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { CollapsableSection, InlineField, Input, SecretInput, Stack, Text, TextLink } from '@grafana/ui';

import { DEFAULT_API_URL, DEFAULT_REALTIME_URL, FastlyOptions, FastlySecureJsonData } from '../types';
import { ConnectionSettings } from './ConnectionSettings';
import { CONFIG_LABEL_WIDTH } from './layout';
import { selectors } from './selectors';

type Props = DataSourcePluginOptionsEditorProps<FastlyOptions, FastlySecureJsonData>;

const TOKEN_DOCS = 'https://docs.fastly.com/en/guides/using-api-tokens';

/** The base URLs under Advanced, by the jsonData key that holds each; empty means Fastly's. */
const URL_FIELDS = [
  {
    key: 'apiUrl',
    label: 'API URL',
    tooltip: `Base URL of the Fastly API (stats, services, events). Default ${DEFAULT_API_URL}`,
    fallback: DEFAULT_API_URL,
    testId: selectors.config.apiUrl,
    id: 'fastly-config-api-url',
  },
  {
    key: 'realtimeUrl',
    label: 'Real-time URL',
    tooltip: `Base URL of Fastly's real-time analytics API. Default ${DEFAULT_REALTIME_URL}`,
    fallback: DEFAULT_REALTIME_URL,
    testId: selectors.config.realtimeUrl,
    id: 'fastly-config-realtime-url',
  },
] as const;

/**
 * Data source settings: the Fastly API token (write-only), under Advanced the API URLs, and
 * under Connection Grafana's standard HTTP settings.
 */
export function ConfigEditor({ options, onOptionsChange }: Props) {
  const { jsonData, secureJsonFields, secureJsonData } = options;

  const setUrl = (key: 'apiUrl' | 'realtimeUrl') => (e: ChangeEvent<HTMLInputElement>) => {
    onOptionsChange({ ...options, jsonData: { ...jsonData, [key]: e.currentTarget.value.trim() || undefined } });
  };

  const onTokenChange = (e: ChangeEvent<HTMLInputElement>) => {
    onOptionsChange({ ...options, secureJsonData: { ...secureJsonData, apiToken: e.currentTarget.value } });
  };

  const onTokenReset = () => {
    onOptionsChange({
      ...options,
      secureJsonFields: { ...secureJsonFields, apiToken: false },
      secureJsonData: { ...secureJsonData, apiToken: '' },
    });
  };

  return (
    <Stack direction="column" gap={2}>
      <div>
        <Text element="h3">Authentication</Text>
        <Text color="secondary" element="p">
          Create an API token in the Fastly web interface (Account → API tokens) with the <code>global:read</code>{' '}
          scope, limited to the services Grafana should see.{' '}
          <TextLink href={TOKEN_DOCS} external>
            How to create a Fastly API token
          </TextLink>
        </Text>
      </div>
      <InlineField
        label="API token"
        labelWidth={CONFIG_LABEL_WIDTH}
        interactive
        tooltip="Sent to Fastly as the Fastly-Key header. Stored encrypted; it cannot be read back, only replaced."
        required
      >
        <SecretInput
          data-testid={selectors.config.apiToken}
          id="fastly-config-api-token"
          isConfigured={Boolean(secureJsonFields?.apiToken)}
          value={secureJsonData?.apiToken ?? ''}
          placeholder="Fastly API token"
          width={50}
          onReset={onTokenReset}
          onChange={onTokenChange}
        />
      </InlineField>

      <CollapsableSection label="Advanced" isOpen={Boolean(jsonData.apiUrl || jsonData.realtimeUrl)}>
        <div data-testid={selectors.config.advanced}>
          <Text color="secondary" element="p">
            Only change these to go through a proxy or to point Grafana at the Fastly simulator. Leave empty to use
            Fastly.
          </Text>
          {URL_FIELDS.map((f) => (
            <InlineField key={f.key} label={f.label} labelWidth={CONFIG_LABEL_WIDTH} tooltip={f.tooltip}>
              <Input
                data-testid={f.testId}
                id={f.id}
                value={jsonData[f.key] ?? ''}
                placeholder={f.fallback}
                width={50}
                onChange={setUrl(f.key)}
              />
            </InlineField>
          ))}
        </div>
      </CollapsableSection>

      <ConnectionSettings options={options} onOptionsChange={onOptionsChange} />
    </Stack>
  );
}
