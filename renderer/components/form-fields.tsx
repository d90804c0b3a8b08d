import {
  useId,
  useState,
  type InputHTMLAttributes,
  type ReactNode,
  type Ref,
} from 'react';

interface FieldFrameProps {
  label: string;
  /** The file key the field writes, shown small under the label. */
  fileKey?: string;
  hint?: ReactNode;
  /** Shown, and tied to the input, only when the form decides to show it. */
  error?: string | null;
  children: (ids: { inputId: string; describedBy: string | undefined }) => ReactNode;
}

/** A label, the input, a hint and an error message, tied together for screen readers. */
function FieldFrame(props: FieldFrameProps) {
  const inputId = useId();
  const hintId = `${inputId}-hint`;
  const errorId = `${inputId}-error`;
  const hasError = props.error !== undefined && props.error !== null;
  const describedBy =
    [hasError ? errorId : null, props.hint === undefined ? null : hintId]
      .filter((id) => id !== null)
      .join(' ') || undefined;

  return (
    <div className={hasError ? 'form-field form-field-invalid' : 'form-field'}>
      <label htmlFor={inputId} className="form-label">
        {props.label}
        {props.fileKey !== undefined && <span className="file-key">{props.fileKey}</span>}
      </label>
      {props.children({ inputId, describedBy })}
      {hasError && (
        <p id={errorId} className="form-error">
          {props.error}
        </p>
      )}
      {props.hint !== undefined && (
        <p id={hintId} className="form-hint">
          {props.hint}
        </p>
      )}
    </div>
  );
}

type InputProps = Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'id' | 'value' | 'onChange' | 'aria-describedby' | 'aria-invalid'
>;

interface TextFieldProps extends InputProps {
  label: string;
  fileKey?: string;
  hint?: ReactNode;
  error?: string | null;
  value: string;
  onValueChange: (value: string) => void;
}

/** A labelled text input (or url, datetime-local) with its hint and error. */
export function TextField(props: TextFieldProps) {
  const { label, fileKey, hint, error, value, onValueChange, ...input } = props;

  return (
    <FieldFrame
      label={label}
      {...(fileKey === undefined ? {} : { fileKey })}
      {...(hint === undefined ? {} : { hint })}
      error={error ?? null}
    >
      {({ inputId, describedBy }) => (
        <input
          type="text"
          className="form-input"
          autoComplete="off"
          spellCheck={false}
          {...input}
          id={inputId}
          value={value}
          aria-invalid={error !== undefined && error !== null ? true : undefined}
          aria-describedby={describedBy}
          onChange={(event) => onValueChange(event.target.value)}
        />
      )}
    </FieldFrame>
  );
}

interface SecretFieldProps {
  label: string;
  fileKey?: string;
  hint?: ReactNode;
  /** What the secret is called, for the Show button's name ("token"). */
  noun: string;
  onValueChange: (value: string) => void;
  disabled?: boolean;
  inputRef?: Ref<HTMLInputElement>;
}

/**
 * A field for pasting a secret: hidden as dots until the user presses Show.
 * The input is uncontrolled, so the value never becomes an attribute in the
 * page's markup; it lives only in the input and the form's state.
 */
export function SecretField(props: SecretFieldProps) {
  const [shown, setShown] = useState(false);

  return (
    <FieldFrame
      label={props.label}
      {...(props.fileKey === undefined ? {} : { fileKey: props.fileKey })}
      {...(props.hint === undefined ? {} : { hint: props.hint })}
    >
      {({ inputId, describedBy }) => (
        <div className="secret-input-line">
          <input
            ref={props.inputRef}
            id={inputId}
            type={shown ? 'text' : 'password'}
            className="form-input secret-input"
            autoComplete="off"
            spellCheck={false}
            disabled={props.disabled}
            aria-describedby={describedBy}
            onChange={(event) => props.onValueChange(event.target.value)}
          />
          <button
            type="button"
            className="button button-small"
            disabled={props.disabled}
            onClick={() => setShown(!shown)}
          >
            {shown ? 'Hide' : 'Show'}{' '}
            <span className="visually-hidden">{props.noun}</span>
          </button>
        </div>
      )}
    </FieldFrame>
  );
}

/** A checkbox with its label on the right. */
export function CheckboxField(props: {
  label: string;
  checked: boolean;
  onCheckedChange: (checked: boolean) => void;
}) {
  const id = useId();

  return (
    <div className="form-check">
      <input
        id={id}
        type="checkbox"
        checked={props.checked}
        onChange={(event) => props.onCheckedChange(event.target.checked)}
      />
      <label htmlFor={id}>{props.label}</label>
    </div>
  );
}
