const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

/** "14:05" today, "3 Dec, 14:05" otherwise. */
export function formatTime(iso: string | number): string {
  const date = new Date(iso);
  const today = new Date().toDateString() === date.toDateString();

  return today ? timeFormat.format(date) : dateTimeFormat.format(date);
}

export const RESPONSE_LABELS = {
  acknowledged: 'Acknowledged',
  responding: 'Responding',
  on_scene: 'On scene',
  unavailable: 'Unavailable',
} as const;
