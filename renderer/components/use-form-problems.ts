import { useEffect, useRef, useState } from 'react';

/**
 * When a form shows its problems: all of them once the user tried to save,
 * and from then on as the user types. Not on leaving a field: a message that
 * appears then moves the buttons under the pointer between press and
 * release, and the click lands elsewhere. A failed attempt moves focus to the
 * first field in trouble, whose message its input describes.
 */
export function useFormProblems<Key extends string>(problems: {
  [K in Key]?: string | undefined;
}) {
  const formRef = useRef<HTMLFormElement>(null);
  const [attempts, setAttempts] = useState(0);

  useEffect(() => {
    if (attempts > 0) {
      formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    }
  }, [attempts]);

  const hasProblems = Object.values(problems).some((problem) => problem !== undefined);

  return {
    formRef,
    /** The message to show for a field now, or null. */
    shown: (key: Key): string | null => (attempts > 0 ? (problems[key] ?? null) : null),
    /** Whether the form may be sent; when not, shows every problem. */
    check: (): boolean => {
      setAttempts(attempts + 1);
      return !hasProblems;
    },
  };
}
