import { describe, expect, it } from 'vitest';
import { parseBbox } from './bbox';

describe('parseBbox', () => {
  it('reads west,south,east,north', () => {
    expect(parseBbox('2.2,48.8,2.5,48.95')).toEqual({
      west: 2.2,
      south: 48.8,
      east: 2.5,
      north: 48.95,
    });
  });

  it('allows a box across the antimeridian', () => {
    expect(parseBbox('170,-20,-170,-10').west).toBe(170);
  });

  it.each([
    '',
    '1,2,3',
    '1,2,3,4,5',
    'a,b,c,d',
    '0,0,190,1',
    '0,-95,1,1',
    '0,10,1,5',
    '1,,2,3',
    '0x1,2,3,4',
    ' 1,2,3,4',
    '1e1,2,3,4',
    '+1,2,3,4',
    '1.,2,3,4',
  ])('refuses %j', (text) => {
    expect(() => parseBbox(text)).toThrow(/bbox/);
  });
});
