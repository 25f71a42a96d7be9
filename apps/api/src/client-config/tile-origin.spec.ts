import { describe, expect, it } from 'vitest';
import { tileSource } from './tile-origin';

describe('tileSource', () => {
  it('keeps the origin of a plain template', () => {
    expect(tileSource('https://tile.openstreetmap.org/{z}/{x}/{y}.png')).toBe(
      'https://tile.openstreetmap.org',
    );
    expect(tileSource('http://127.0.0.1:8080/{z}/{x}/{y}.png')).toBe('http://127.0.0.1:8080');
  });

  it('widens a {s} subdomain to a CSP wildcard', () => {
    expect(tileSource('https://{s}.tile.example.org/{z}/{x}/{y}.png')).toBe(
      'https://*.tile.example.org',
    );
  });

  it('refuses a placeholder elsewhere in the host', () => {
    expect(tileSource('https://tiles-{s}.example.org/{z}/{x}/{y}.png')).toBeUndefined();
  });
});
