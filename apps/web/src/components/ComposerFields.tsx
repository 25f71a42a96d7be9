import { CAP_CERTAINTIES, CAP_SEVERITIES, CAP_URGENCIES, type GroupView } from '@tocsin/contracts';
import { EXPIRY_CHOICES, type ComposerForm } from './composer-state';

interface ComposerFieldsProps {
  form: ComposerForm;
  groups: GroupView[];
  onChange: (form: ComposerForm) => void;
}

/** The alert's texts and CAP choices; every input has a visible label. */
export function ComposerFields({ form, groups, onChange }: ComposerFieldsProps) {
  const set = <K extends keyof ComposerForm>(key: K, value: ComposerForm[K]) =>
    onChange({ ...form, [key]: value });
  const toggleGroup = (id: string) =>
    set(
      'groupIds',
      form.groupIds.includes(id) ? form.groupIds.filter((g) => g !== id) : [...form.groupIds, id],
    );

  return (
    <div className="stack">
      <label>
        Event
        <input value={form.event} maxLength={120} onChange={(e) => set('event', e.target.value)} />
      </label>
      <label>
        Headline
        <input
          value={form.headline}
          maxLength={160}
          onChange={(e) => set('headline', e.target.value)}
        />
      </label>
      <label>
        Area description
        <input value={form.areaDesc} onChange={(e) => set('areaDesc', e.target.value)} />
      </label>
      <div className="field-row">
        <Choice
          label="Severity"
          value={form.severity}
          options={CAP_SEVERITIES}
          onPick={(v) => set('severity', v)}
        />
        <Choice
          label="Urgency"
          value={form.urgency}
          options={CAP_URGENCIES}
          onPick={(v) => set('urgency', v)}
        />
        <Choice
          label="Certainty"
          value={form.certainty}
          options={CAP_CERTAINTIES}
          onPick={(v) => set('certainty', v)}
        />
      </div>
      <label>
        Expires in
        <select
          value={form.expiresInHours}
          onChange={(e) => set('expiresInHours', Number(e.target.value))}
        >
          {EXPIRY_CHOICES.map((hours) => (
            <option key={hours} value={hours}>
              {hours} h
            </option>
          ))}
        </select>
      </label>
      <label>
        Description
        <textarea
          rows={3}
          value={form.description}
          onChange={(e) => set('description', e.target.value)}
        />
      </label>
      <label>
        Instructions
        <textarea
          rows={3}
          value={form.instruction}
          onChange={(e) => set('instruction', e.target.value)}
        />
      </label>
      <fieldset className="groups">
        <legend>Groups</legend>
        {groups.length === 0 && <p className="muted">No groups. The area alone decides.</p>}
        {groups.map((group) => (
          <label key={group.id} className="check">
            <input
              type="checkbox"
              checked={form.groupIds.includes(group.id)}
              onChange={() => toggleGroup(group.id)}
            />
            {group.name}
          </label>
        ))}
      </fieldset>
    </div>
  );
}

function Choice<T extends string>(props: {
  label: string;
  value: T;
  options: readonly T[];
  onPick: (value: T) => void;
}) {
  return (
    <label>
      {props.label}
      <select value={props.value} onChange={(e) => props.onPick(e.target.value as T)}>
        {props.options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </label>
  );
}
