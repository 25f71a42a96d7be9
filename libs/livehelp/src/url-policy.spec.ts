import { describe, expect, it } from 'vitest';
import { isAllowedPushUrl, parseOrigin, parsePrefix } from './url-policy';

describe('parseOrigin', () => {
  it('keeps scheme, host and port, normalised', () => {
    expect(parseOrigin('HTTPS://Example.org')).toBe('https://example.org');
    expect(parseOrigin('https://example.org:443/')).toBe('https://example.org');
    expect(parseOrigin('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
  });

  it('refuses paths, credentials and other schemes', () => {
    expect(parseOrigin('https://example.org/page')).toBeUndefined();
    expect(parseOrigin('https://u:p@example.org')).toBeUndefined();
    expect(parseOrigin('javascript:alert(1)')).toBeUndefined();
    expect(parseOrigin('file:///etc/passwd')).toBeUndefined();
    expect(parseOrigin('example.org')).toBeUndefined();
  });
});

describe('isAllowedPushUrl', () => {
  const prefixes = [parsePrefix('https://a.org/help')!, parsePrefix('https://b.org/')!];

  it('admits pages under a prefix', () => {
    expect(isAllowedPushUrl('https://a.org/help', prefixes)).toBe('https://a.org/help');
    expect(isAllowedPushUrl('https://a.org/help/shelters?x=1', prefixes)).toBeDefined();
    expect(isAllowedPushUrl('https://A.org/x/../help#map', prefixes)).toBe(
      'https://a.org/help#map',
    );
    expect(isAllowedPushUrl('https://b.org/anything', prefixes)).toBeDefined();
  });

  it('refuses look-alikes, other hosts and other schemes', () => {
    expect(isAllowedPushUrl('https://a.org/helpdesk', prefixes)).toBeUndefined();
    expect(isAllowedPushUrl('https://a.org.evil.net/help', prefixes)).toBeUndefined();
    expect(isAllowedPushUrl('http://a.org/help', prefixes)).toBeUndefined();
    expect(isAllowedPushUrl('javascript:alert(1)//https://a.org/help', prefixes)).toBeUndefined();
    expect(isAllowedPushUrl('https://user@a.org/help', prefixes)).toBeUndefined();
    expect(isAllowedPushUrl('not a url', prefixes)).toBeUndefined();
  });
});
