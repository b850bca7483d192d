import React, { ChangeEvent } from 'react';
import { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import {
  CollapsableSection,
  CustomHeadersSettings,
  InlineField,
  InlineSwitch,
  Input,
  SecureSocksProxySettings,
  TLSAuthSettings,
  Text,
} from '@grafana/ui';

import { lastValueFrom } from 'rxjs';

import { FastlyOptions, FastlySecureJsonData } from '../types';
import { CONFIG_LABEL_WIDTH } from './layout';
import { selectors } from './selectors';
import { useLoader } from './useLoader';

type Props = DataSourcePluginOptionsEditorProps<FastlyOptions, FastlySecureJsonData>;

/** Grafana's TLS switches: the fields TLSAuthSettings shows appear when the first two are on. */
const TLS_SWITCHES: Array<['tlsAuthWithCACert' | 'tlsAuth' | 'tlsSkipVerify', string, string]> = [
  ['tlsAuthWithCACert', 'With CA certificate', 'Trust a custom CA, e.g. of a proxy that inspects TLS'],
  ['tlsAuth', 'Client certificate', 'Present a client certificate (mutual TLS), e.g. to a proxy'],
  ['tlsSkipVerify', 'Skip TLS verify', 'Accept any certificate. Only for testing: it exposes the API token'],
];

/** Whether any connection setting differs from Grafana's defaults, so the section opens. */
function customised(jsonData: FastlyOptions): boolean {
  const j = jsonData as Record<string, unknown>;
  return ['timeout', 'tlsAuth', 'tlsAuthWithCACert', 'tlsSkipVerify', 'enableSecureSocksProxy', 'httpHeaderName1'].some(
    (k) => j[k] !== undefined && j[k] !== false && j[k] !== ''
  );
}

/**
 * Grafana's secure socks proxy switch, shown only when the Grafana server offers the proxy to
 * data sources. That is read from the server's frontend settings, as Grafana 13's own runtime
 * reads plugin settings, not from @grafana/runtime's boot config object, whose type changes
 * between Grafana 12.4 and 13.2. Unknown (the request failed) reads as not offered. It mounts
 * with the open section, so a closed section asks nothing.
 */
function SocksProxySettings({ options, onOptionsChange }: Props) {
  const offered = useLoader(
    async () => {
      const answer = await lastValueFrom(
        getBackendSrv().fetch<{ secureSocksDSProxyEnabled?: boolean }>({
          url: '/api/frontend/settings',
          showErrorAlert: false,
        })
      );
      return answer.data?.secureSocksDSProxyEnabled === true;
    },
    false,
    []
  ).value;
  return offered ? <SecureSocksProxySettings options={options} onOptionsChange={onOptionsChange} /> : null;
}

/**
 * Grafana's standard connection settings (the fields the backend's SDK HTTP client reads):
 * timeout, TLS (custom CA, client certificate, skip verify), custom headers and, where the
 * Grafana server offers it, the secure socks proxy. The HTTP(S) proxy comes from the Grafana
 * server's environment.
 */
export function ConnectionSettings({ options, onOptionsChange }: Props) {
  const onTimeout = (e: ChangeEvent<HTMLInputElement>) => {
    const seconds = parseInt(e.currentTarget.value, 10);
    onOptionsChange({
      ...options,
      jsonData: { ...options.jsonData, timeout: Number.isFinite(seconds) && seconds > 0 ? seconds : undefined },
    });
  };
  return (
    <CollapsableSection label="Connection" isOpen={customised(options.jsonData)}>
      <div data-testid={selectors.config.connection}>
        <Text color="secondary" element="p">
          For a proxy or a network that inspects TLS. Calls go only to the Fastly API and real-time URLs.
        </Text>
        <InlineField
          label="Timeout"
          labelWidth={CONFIG_LABEL_WIDTH}
          tooltip="Seconds a Fastly call may take before it fails; empty uses Grafana's default (30 s)."
        >
          <Input
            id="fastly-config-timeout"
            data-testid={selectors.config.timeout}
            type="number"
            min={1}
            placeholder="30"
            suffix="seconds"
            width={20}
            value={options.jsonData.timeout ?? ''}
            onChange={onTimeout}
          />
        </InlineField>
        {TLS_SWITCHES.map(([key, label, tooltip]) => (
          <InlineField key={key} label={label} labelWidth={CONFIG_LABEL_WIDTH} tooltip={tooltip}>
            <InlineSwitch
              id={`fastly-config-${key}`}
              data-testid={selectors.config.tls(key)}
              value={Boolean(options.jsonData[key])}
              onChange={(e) =>
                onOptionsChange({ ...options, jsonData: { ...options.jsonData, [key]: e.currentTarget.checked } })
              }
            />
          </InlineField>
        ))}
        {/* the certificate and key fields of the switches turned on */}
        <TLSAuthSettings dataSourceConfig={options} onChange={onOptionsChange} />
        <CustomHeadersSettings dataSourceConfig={options} onChange={onOptionsChange} />
        <SocksProxySettings options={options} onOptionsChange={onOptionsChange} />
      </div>
    </CollapsableSection>
  );
}
