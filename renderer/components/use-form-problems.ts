import { useEffect, useRef, useState } from 'react';

/**
 * When a form shows its problems: a field's own once the user has left it,
 * all of them once the user tried to save. A failed attempt moves focus to
 * the first field in trouble, whose message its input describes.
 */
export function useFormProblems<Key extends string>(problems: {
  [K in Key]?: string | undefined;
}) {
  const formRef = useRef<HTMLFormElement>(null);
  const [left, setLeft] = useState<ReadonlySet<Key>>(new Set());
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
    shown: (key: Key): string | null =>
      attempts > 0 || left.has(key) ? (problems[key] ?? null) : null,
    /** Marks a field as visited; pass it to the field's onBlur. */
    leave: (key: Key) => {
      if (!left.has(key)) {
        setLeft(new Set([...left, key]));
      }
    },
    /** Whether the form may be sent; when not, shows every problem. */
    check: (): boolean => {
      setAttempts(attempts + 1);
      return !hasProblems;
    },
  };
}
