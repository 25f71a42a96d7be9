import { describe, expect, it } from 'vitest';
import { EndpointPolicy, hostRules, parseHostRule, type Resolver } from './endpoint-policy';

const dns: Record<string, string[]> = {
  'fcm.googleapis.com': ['142.250.74.106', '2a00:1450:4007:80a::200a'],
  'updates.push.services.mozilla.com': ['34.117.20.200'],
  'web.push.apple.com': ['17.188.128.38'],
  'wns2-par02p.notify.windows.com': ['20.43.12.1'],
  'evil.notify.windows.com': ['10.1.2.3'],
};
const resolver: Resolver = async (name) => {
  const found = dns[name];
  if (!found) throw new Error('ENOTFOUND');

  return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};
const defaults = new EndpointPolicy(hostRules([]), resolver);

describe('EndpointPolicy with the well-known push services', () => {
  it.each([
    'https://fcm.googleapis.com/fcm/send/abc:APA91b',
    'https://fcm.googleapis.com/wp/abc',
    'https://updates.push.services.mozilla.com/wpush/v2/gAAAA',
    'https://web.push.apple.com/QGz6lJ',
    'https://wns2-par02p.notify.windows.com/w/?token=BQYAAA',
  ])('accepts %s', async (endpoint) => {
    await expect(defaults.check(endpoint)).resolves.toBeInstanceOf(URL);
  });

  it.each([
    ['http://fcm.googleapis.com/fcm/send/x', 'push.endpoint_not_https'],
    ['https://fcm.googleapis.com:8443/fcm/send/x', 'push.endpoint_host_not_allowed'],
    ['https://fcm.googleapis.com.evil.example/x', 'push.endpoint_host_not_allowed'],
    ['https://push.apple.com/x', 'push.endpoint_host_not_allowed'],
    ['https://android.googleapis.com/gcm/send/x', 'push.endpoint_host_not_allowed'],
    ['https://evil.notify.windows.com/w/', 'push.endpoint_address_refused'],
    ['https://127.0.0.1/x', 'push.endpoint_host_not_allowed'],
  ])('refuses %s', async (endpoint, code) => {
    await expect(defaults.check(endpoint)).rejects.toMatchObject({ kind: 'invalid', code });
  });

  it('refuses at connection time a default host that resolves to a private address', async () => {
    dns['fcm.googleapis.com'] = ['127.0.0.1'];
    const error = await new Promise((resolve) =>
      defaults.lookup('fcm.googleapis.com', { all: true }, (err) => resolve(err)),
    );
    dns['fcm.googleapis.com'] = ['142.250.74.106'];

    expect(error).toMatchObject({ code: 'push.endpoint_address_refused' });
  });
});

describe('PUSH_ALLOWED_HOSTS', () => {
  it('replaces the defaults and lets an exactly listed host be private', async () => {
    const policy = new EndpointPolicy(hostRules(['push.corp.internal', '[::1]:8443']), resolver);
    dns['push.corp.internal'] = ['10.0.0.5'];

    await expect(policy.check('https://push.corp.internal/x')).resolves.toBeInstanceOf(URL);
    await expect(policy.check('https://[::1]:8443/x')).resolves.toBeInstanceOf(URL);
    await expect(policy.check('https://fcm.googleapis.com/fcm/send/x')).rejects.toMatchObject({
      code: 'push.endpoint_host_not_allowed',
    });
  });

  it('reads entries with ports, IPv6 and wildcards, and refuses nonsense', () => {
    expect(parseHostRule('127.0.0.1:8443', true)).toEqual({
      host: '127.0.0.1',
      wildcard: false,
      port: 8443,
      explicit: true,
    });
    expect(parseHostRule('*.Push.Example', true)).toMatchObject({
      host: 'push.example',
      wildcard: true,
      explicit: false,
    });
    expect(() => parseHostRule('https://x', true)).toThrow(/PUSH_ALLOWED_HOSTS/);
    expect(() => parseHostRule('x:99999', true)).toThrow(/PUSH_ALLOWED_HOSTS/);
  });
});
