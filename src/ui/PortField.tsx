interface Props {
  /** The input's id; the label points at it. */
  readonly id: string;
  readonly value: string | number;
  /** Called with the field's text as typed (validation is the form's). */
  readonly onChange: (text: string) => void;
  readonly required?: boolean;
}

/** A labelled TCP/UDP port field (1–65535), as the traffic, matrix and mesh forms ask for one. */
export function PortField({ id, value, onChange, required = false }: Props) {
  return (
    <>
      <label htmlFor={id}>Port</label>
      <input
        id={id}
        type="number"
        min={1}
        max={65535}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        required={required}
      />
    </>
  );
}
