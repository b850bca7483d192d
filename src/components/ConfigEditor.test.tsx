import React from 'react';
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { BackendSrv, setBackendSrv } from '@grafana/runtime';

import { ConfigEditor } from './ConfigEditor';
import { selectors } from './selectors';
import { fakeBackend } from '../testing/fakes';
import { configSettings } from '../testing/fixtures';

/** Waits until the settings request the open Connection section started has been answered. */
async function settle() {
  await act(async () => {
    await new Promise((r) => setTimeout(r, 0));
  });
}

let backend: ReturnType<typeof fakeBackend>;
beforeEach(() => {
  backend = fakeBackend();
  setBackendSrv({ fetch: backend.fetch } as unknown as BackendSrv);
});

describe('ConfigEditor', () => {
  it('sends a typed token as secure JSON only', async () => {
    const onOptionsChange = jest.fn();
    render(<ConfigEditor options={configSettings()} onOptionsChange={onOptionsChange} />);
    await userEvent.type(screen.getByPlaceholderText('Fastly API token'), 'k');
    expect(onOptionsChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ secureJsonData: { apiToken: 'k' }, jsonData: {} })
    );
  });

  it('shows a saved token as configured, never its value, and resets it', async () => {
    const onOptionsChange = jest.fn();
    render(
      <ConfigEditor
        options={configSettings({ secureJsonFields: { apiToken: true } })}
        onOptionsChange={onOptionsChange}
      />
    );
    const input = screen.getByPlaceholderText('Fastly API token') as HTMLInputElement;
    expect(input).toBeDisabled();
    expect(input.value).toBe('configured');
    await userEvent.click(screen.getByRole('button', { name: 'Reset' }));
    expect(onOptionsChange).toHaveBeenCalledWith(
      expect.objectContaining({ secureJsonFields: { apiToken: false }, secureJsonData: { apiToken: '' } })
    );
  });

  it('puts the API and real-time URLs into jsonData, with Fastly defaults as placeholders', async () => {
    const onOptionsChange = jest.fn();
    render(<ConfigEditor options={configSettings()} onOptionsChange={onOptionsChange} />);
    await userEvent.click(screen.getByText('Advanced'));

    const api = screen.getByTestId(selectors.config.apiUrl);
    expect(api).toHaveAttribute('placeholder', 'https://api.fastly.com');
    await userEvent.type(api, 'h');
    expect(onOptionsChange).toHaveBeenLastCalledWith(expect.objectContaining({ jsonData: { apiUrl: 'h' } }));

    const rt = screen.getByTestId(selectors.config.realtimeUrl);
    expect(rt).toHaveAttribute('placeholder', 'https://rt.fastly.com');
    await userEvent.type(rt, 'r');
    expect(onOptionsChange).toHaveBeenLastCalledWith(expect.objectContaining({ jsonData: { realtimeUrl: 'r' } }));
  });

  it('opens Advanced when a URL is set and clears it back to the default', async () => {
    const onOptionsChange = jest.fn();
    render(
      <ConfigEditor
        options={configSettings({ jsonData: { apiUrl: 'http://127.0.0.1:8080' } })}
        onOptionsChange={onOptionsChange}
      />
    );
    const api = screen.getByTestId(selectors.config.apiUrl);
    expect(api).toHaveValue('http://127.0.0.1:8080');
    await userEvent.clear(api);
    expect(onOptionsChange).toHaveBeenLastCalledWith(expect.objectContaining({ jsonData: { apiUrl: undefined } }));
  });

  it('links to the Fastly token guide and names the scope', () => {
    render(<ConfigEditor options={configSettings()} onOptionsChange={jest.fn()} />);
    expect(screen.getByText('global:read')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /Fastly API token/ })).toHaveAttribute(
      'href',
      'https://docs.fastly.com/en/guides/using-api-tokens'
    );
  });
});

describe('ConfigEditor connection settings', () => {
  it('opens closed for a plain setup and open when a connection setting is in use', async () => {
    const { unmount } = render(<ConfigEditor options={configSettings()} onOptionsChange={jest.fn()} />);
    expect(screen.queryByTestId(selectors.config.timeout)).toBeNull();
    unmount();
    render(<ConfigEditor options={configSettings({ jsonData: { timeout: 60 } })} onOptionsChange={jest.fn()} />);
    expect(screen.getByTestId(selectors.config.timeout)).toHaveValue(60);
    await settle();
  });

  it('writes the timeout and TLS switches where the backend SDK reads them, and shows the CA field', async () => {
    const onOptionsChange = jest.fn();
    const { rerender } = render(
      <ConfigEditor options={configSettings({ jsonData: { timeout: 1 } })} onOptionsChange={onOptionsChange} />
    );
    await userEvent.type(screen.getByTestId(selectors.config.timeout), '5');
    expect(onOptionsChange).toHaveBeenLastCalledWith(expect.objectContaining({ jsonData: { timeout: 15 } }));
    await userEvent.click(screen.getByTestId(selectors.config.tls('tlsAuthWithCACert')));
    const withCA = onOptionsChange.mock.lastCall[0];
    expect(withCA.jsonData).toEqual({ timeout: 1, tlsAuthWithCACert: true });
    rerender(<ConfigEditor options={withCA} onOptionsChange={onOptionsChange} />);
    expect(screen.getByText('CA Cert')).toBeInTheDocument();
  });

  it('offers Grafana custom headers', async () => {
    const onOptionsChange = jest.fn();
    render(
      <ConfigEditor options={configSettings({ jsonData: { tlsSkipVerify: true } })} onOptionsChange={onOptionsChange} />
    );
    await userEvent.click(screen.getByRole('button', { name: /Add header/ }));
    await userEvent.type(screen.getByPlaceholderText('X-Custom-Header'), 'X');
    await userEvent.click(document.body);
    expect(onOptionsChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ jsonData: expect.objectContaining({ httpHeaderName1: 'X' }) })
    );
  });

  it('offers the secure socks proxy only when the Grafana server does', async () => {
    const options = configSettings({ jsonData: { timeout: 30 } });
    const { unmount } = render(<ConfigEditor options={options} onOptionsChange={jest.fn()} />);
    await settle();
    expect(backend.calls).toContainEqual({ path: '/api/frontend/settings', params: undefined });
    expect(screen.queryByText('Secure Socks Proxy')).toBeNull();
    unmount();

    backend.answer.mockImplementation(async (path) =>
      path === '/api/frontend/settings' ? { secureSocksDSProxyEnabled: true } : {}
    );
    render(<ConfigEditor options={options} onOptionsChange={jest.fn()} />);
    expect(await screen.findByText('Secure Socks Proxy')).toBeInTheDocument();
  });
});
