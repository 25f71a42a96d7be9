import { describe, expect, it } from 'vitest';
import { carriesTokenInQuery } from './auth.guard';

describe('carriesTokenInQuery', () => {
  it('spots credentials in a query string', () => {
    expect(carriesTokenInQuery('/api/me?access_token=abc')).toBe(true);
    expect(carriesTokenInQuery('/api/me?TOKEN=abc')).toBe(true);
    expect(carriesTokenInQuery('/api/me?q=eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln')).toBe(true);
  });

  it('lets ordinary queries through', () => {
    expect(carriesTokenInQuery('/api/me')).toBe(false);
    expect(carriesTokenInQuery('/api/audit?action=auth.login&limit=5')).toBe(false);
  });
});
