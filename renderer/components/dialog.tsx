import {
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
  type RefObject,
} from 'react';
import { createPortal } from 'react-dom';
import type { Result } from '../../shared/result';

const focusableSelector = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  '[tabindex]:not([tabindex="-1"])',
].join(', ');

interface DialogProps {
  title: string;
  /** Called on Escape; the owner closes the dialog by no longer rendering it. */
  onClose: () => void;
  children: ReactNode;
  /** Where focus goes when the dialog closes and the control that opened it is gone. */
  fallbackFocus?: () => HTMLElement | null;
  /** "alertdialog" for a question that needs an answer before anything else. */
  role?: 'dialog' | 'alertdialog';
  wide?: boolean;
}

/**
 * A modal dialog: named by its title, the rest of the page made inert while
 * it is open, Tab kept inside it, Escape closing it, and focus put back on
 * the control that opened it. Focus starts on the element marked
 * `data-autofocus`, else on the first control.
 */
export function Dialog(props: DialogProps) {
  const titleId = useId();
  const ref = useRef<HTMLDivElement>(null);
  useModalFocus(ref, props.fallbackFocus);

  function handleKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      props.onClose();
    } else if (event.key === 'Tab' && ref.current !== null) {
      // Events from a nested dialog reach this one through React; it keeps its own focus.
      event.stopPropagation();
      keepTabInside(event, ref.current);
    }
  }

  return createPortal(
    <div className="dialog-backdrop">
      <div
        ref={ref}
        role={props.role ?? 'dialog'}
        aria-modal="true"
        aria-labelledby={titleId}
        className={props.wide === true ? 'dialog dialog-wide' : 'dialog'}
        onKeyDown={handleKeyDown}
      >
        <h2 id={titleId} className="dialog-title">
          {props.title}
        </h2>
        {props.children}
      </div>
    </div>,
    document.body,
  );
}

/** Focus in on open, the page behind made inert, and focus back out on close. */
function useModalFocus(
  ref: RefObject<HTMLDivElement | null>,
  fallbackFocus: (() => HTMLElement | null) | undefined,
) {
  const fallback = useRef(fallbackFocus);
  const opener = useRef<Element | null>(null);
  useEffect(() => {
    fallback.current = fallbackFocus;
  });

  // Before the browser paints: the page behind goes inert and focus moves in
  // as soon as the dialog is there.
  useLayoutEffect(() => {
    const dialog = ref.current;
    opener.current = document.activeElement;
    const backdrop = dialog?.parentElement ?? null;
    const madeInert = [...document.body.children].filter(
      (element) => element !== backdrop && !element.hasAttribute('inert'),
    );
    madeInert.forEach((element) => element.setAttribute('inert', ''));
    if (dialog !== null) {
      firstFocus(dialog)?.focus();
    }

    return () => madeInert.forEach((element) => element.removeAttribute('inert'));
  }, [ref]);

  // After the change that closed the dialog is on the page, so it is known
  // whether the opener is still there.
  useEffect(
    () => () => {
      const target = opener.current;
      if (
        target instanceof HTMLElement &&
        target.isConnected &&
        target !== document.body
      ) {
        target.focus();
      } else if (focusIsLost()) {
        // The opener went with the change (a renamed profile's pane); an enclosing
        // dialog that closed at the same time may already have placed focus.
        (fallback.current?.() ?? defaultFallback())?.focus();
      }
    },
    [],
  );
}

function firstFocus(dialog: HTMLElement): HTMLElement | null {
  return (
    dialog.querySelector<HTMLElement>('[data-autofocus]') ??
    dialog.querySelector<HTMLElement>(focusableSelector)
  );
}

function focusIsLost(): boolean {
  return document.activeElement === null || document.activeElement === document.body;
}

/** The profiles list, where keyboard users left off, when nothing better is left. */
function defaultFallback(): HTMLElement | null {
  return document.querySelector<HTMLElement>('[role="listbox"]');
}

function keepTabInside(event: KeyboardEvent, dialog: HTMLElement) {
  const focusable = [...dialog.querySelectorAll<HTMLElement>(focusableSelector)];
  const first = focusable[0];
  const last = focusable.at(-1);
  if (first === undefined || last === undefined) {
    event.preventDefault();
    return;
  }
  const active = document.activeElement;
  if (event.shiftKey && (active === first || !dialog.contains(active))) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (active === last || !dialog.contains(active))) {
    event.preventDefault();
    first.focus();
  }
}

interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  /** The button that does it, named for what it does ("Delete profile"). */
  confirmLabel: string;
  /** Does the thing; an error keeps the dialog open and says why. */
  onConfirm: () => Promise<Result<unknown>>;
  /** Called after the thing was done. */
  onDone: () => void;
  onCancel: () => void;
  danger?: boolean;
  fallbackFocus?: () => HTMLElement | null;
}

/**
 * A question before a change that cannot simply be typed back: says what
 * will happen, starts on Cancel, and stays open with the reason when the
 * change fails.
 */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function handleConfirm() {
    if (pending) {
      return;
    }
    setPending(true);
    setError(null);
    const result = await props.onConfirm();
    setPending(false);
    if (result.ok) {
      props.onDone();
    } else {
      setError(result.error.message);
    }
  }

  return (
    <Dialog
      title={props.title}
      role="alertdialog"
      onClose={() => !pending && props.onCancel()}
      {...(props.fallbackFocus === undefined
        ? {}
        : { fallbackFocus: props.fallbackFocus })}
    >
      <div className="dialog-body">{props.children}</div>
      <FormError message={error} />
      <div className="dialog-actions">
        <button type="button" className="button" data-autofocus onClick={props.onCancel}>
          Cancel
        </button>
        <button
          type="button"
          className={
            props.danger === true ? 'button button-danger' : 'button button-primary'
          }
          // aria-disabled rather than disabled, so focus stays on the button while it works.
          aria-disabled={pending}
          onClick={() => void handleConfirm()}
        >
          {props.confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}

/** Why a change was refused, read out at once. */
export function FormError({ message }: { message: string | null }) {
  return message === null ? null : (
    <p className="form-error form-error-block" role="alert">
      {message}
    </p>
  );
}
