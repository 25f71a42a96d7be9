import { describe, expect, it } from 'vitest';
import { SendSlots } from './send-slots';

describe('SendSlots', () => {
  it('never runs more than its size at once, and lets waiters in in order', async () => {
    const slots = new SendSlots(3);
    let running = 0;
    let most = 0;
    const started: number[] = [];

    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        slots.run(async () => {
          started.push(i);
          running += 1;
          most = Math.max(most, running);
          await new Promise((resolve) => setImmediate(resolve));
          running -= 1;
        }),
      ),
    );

    expect(most).toBe(3);
    expect(started).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('frees the slot of a send that throws', async () => {
    const slots = new SendSlots(1);

    await expect(slots.run(() => Promise.reject(new Error('no answer')))).rejects.toThrow();

    expect(await slots.run(async () => 'next')).toBe('next');
  });
});
