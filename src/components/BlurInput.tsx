import React, { ComponentProps, useState } from 'react';
import { Input } from '@grafana/ui';

type Props = Omit<ComponentProps<typeof Input>, 'value' | 'onChange' | 'onBlur'> & {
  value: string;
  /** Called with the new text when the box loses focus, if it changed. */
  onCommit: (value: string) => void;
};

/**
 * A text box that reports its value when it loses focus, so typing does not run the query at
 * every key press.
 */
export function BlurInput({ value, onCommit, ...rest }: Props) {
  const [draft, setDraft] = useState<string | undefined>(undefined);
  return (
    <Input
      {...rest}
      value={draft ?? value}
      onChange={(e) => setDraft(e.currentTarget.value)}
      onBlur={() => {
        if (draft !== undefined && draft !== value) {
          onCommit(draft);
        }
        setDraft(undefined);
      }}
    />
  );
}

/** A typed limit: a whole number, or undefined for an empty or unreadable box (the default). */
export function parseLimit(text: string): number | undefined {
  const n = parseInt(text, 10);
  return Number.isFinite(n) ? n : undefined;
}
