import { MESSAGE_MAX_LENGTH } from '@tocsin/contracts';
import { describe, expect, it } from 'vitest';
import { parseContent } from './message-content';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { code: string }).code;
  }

  return 'accepted';
};

describe('parseContent', () => {
  it('accepts text up to the limit and refuses one character more', () => {
    expect(parseContent({ body: 'x'.repeat(MESSAGE_MAX_LENGTH) }).kind).toBe('text');
    expect(code(() => parseContent({ body: 'x'.repeat(MESSAGE_MAX_LENGTH + 1) }))).toBe(
      'message.too_long',
    );
  });

  it('refuses empty, blank, missing and non-string bodies', () => {
    expect(code(() => parseContent({ body: '' }))).toBe('message.empty');
    expect(code(() => parseContent({ body: ' \n\t ' }))).toBe('message.empty');
    expect(code(() => parseContent({}))).toBe('message.empty');
    expect(code(() => parseContent({ body: 42 }))).toBe('message.body_invalid');
    expect(code(() => parseContent({ body: 'a\u0000b' }))).toBe('message.body_invalid');
  });

  it('keeps text verbatim: markup is data, never rendered here', () => {
    expect(parseContent({ body: '<b>hi</b>' }).body).toBe('<b>hi</b>');
  });

  it('accepts a shared location with an optional caption and accuracy', () => {
    expect(parseContent({ location: { lat: 45.75, lon: 4.84 } })).toEqual({
      kind: 'location',
      body: null,
      location: { lat: 45.75, lon: 4.84 },
    });
    expect(parseContent({ body: 'here', location: { lat: 0, lon: 0, accuracy: 12 } }).body).toBe(
      'here',
    );
    expect(parseContent({ body: '  ', location: { lat: 0, lon: 0 } }).body).toBeNull();
  });

  it('refuses locations out of range, of the wrong type or with extra fields', () => {
    for (const location of [
      { lat: 91, lon: 0 },
      { lat: 0, lon: -181 },
      { lat: '1', lon: 0 },
      { lat: Number.NaN, lon: 0 },
      { lat: 0, lon: 0, accuracy: -1 },
      { lat: 0, lon: 0, html: '<x>' },
      null,
      [1, 2],
    ]) {
      expect(code(() => parseContent({ location }))).toBe('message.location_invalid');
    }
  });
});
