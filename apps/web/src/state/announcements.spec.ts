import { describe, expect, it } from 'vitest';
import { Announcements } from './announcements';

describe('Announcements', () => {
  it('announces each alert event once, however often it arrives', () => {
    const announcements = new Announcements();

    expect(announcements.firstTime({ id: 'a', seq: 1 })).toBe(true);
    expect(announcements.firstTime({ id: 'a', seq: 1 })).toBe(false);
    expect(announcements.firstTime({ id: 'a', seq: 2 })).toBe(true);
    expect(announcements.firstTime({ id: 'b', seq: 1 })).toBe(true);
    expect(announcements.firstTime({ id: 'a', seq: 2 })).toBe(false);
  });
});
