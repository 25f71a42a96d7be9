import type { TargetPreview } from '@tocsin/contracts';

const REASONS: Record<string, string> = {
  group: 'in the chosen groups',
  location: 'last seen in the area',
  jurisdiction: 'in groups covering the area',
  backup: 'backup group',
};

/** How many people the alert reaches, and why. */
export function PreviewResult({ preview }: { preview: TargetPreview }) {
  return (
    <section className="preview" aria-live="polite" data-testid="preview">
      <h2>
        Reaches {preview.count} {preview.count === 1 ? 'person' : 'people'}
      </h2>
      <ul>
        {Object.entries(preview.byReason)
          .filter(([, count]) => count > 0)
          .map(([reason, count]) => (
            <li key={reason}>
              {count} {REASONS[reason] ?? reason}
            </li>
          ))}
      </ul>
    </section>
  );
}
