import { describe, expect, it } from 'vitest';
import { draftOf, emptyForm, problemsOf } from './composer-state';

const circle = {
  areaDesc: 'Bridge',
  circle: { center: [4.8, 45.7] as [number, number], radiusMeters: 500 },
};

describe('composer state', () => {
  it('builds the request body without blank optional texts', () => {
    const draft = draftOf(
      { ...emptyForm(), event: ' Fire ', headline: 'Smoke', groupIds: [] },
      circle,
    );

    expect(draft).toMatchObject({ event: 'Fire', headline: 'Smoke', areas: [circle] });
    expect(draft).not.toHaveProperty('description');
    expect(draft).not.toHaveProperty('groupIds');
    expect(draft.expires).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('names what is missing; an update may keep its area', () => {
    expect(problemsOf(emptyForm(), null, false)).toEqual([
      'Name the event.',
      'Write a headline.',
      'Draw the area on the map.',
    ]);
    expect(problemsOf({ ...emptyForm(), event: 'a', headline: 'b' }, null, true)).toEqual([]);
  });
});
