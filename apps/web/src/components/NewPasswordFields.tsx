export const PASSWORD_MIN_LENGTH = 12;

interface NewPasswordFieldsProps {
  label: string;
  password: string;
  repeat: string;
  onPassword(value: string): void;
  onRepeat(value: string): void;
}

/** A new password typed twice, for the invitation and the temporary-password screens. */
export function NewPasswordFields(props: NewPasswordFieldsProps) {
  const field = (label: string, value: string, onChange: (value: string) => void) => (
    <label>
      {label}
      <input
        type="password"
        autoComplete="new-password"
        minLength={PASSWORD_MIN_LENGTH}
        required
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
    </label>
  );

  return (
    <>
      {field(props.label, props.password, props.onPassword)}
      {field(`${props.label} again`, props.repeat, props.onRepeat)}
    </>
  );
}
