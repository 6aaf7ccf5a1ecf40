import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLang } from '../i18n.ts';
import { errorText } from './error-text.ts';

/** A screen: its heading takes focus when it opens, so keyboard and screen-reader users land on it. */
export function Screen(props: { title: string; children: ComponentChildren; id?: string }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [props.title]);
  return (
    <section class="screen" id={props.id} aria-labelledby="screen-title">
      <h1 id="screen-title" tabIndex={-1} ref={heading}>
        {props.title}
      </h1>
      {props.children}
    </section>
  );
}

/** A failure, worded for the person, announced to assistive technology. */
export function ErrorNote(props: { error: unknown }) {
  const lang = useLang();
  if (props.error === undefined) return null;
  return (
    <p class="error" role="alert" data-testid="error">
      {errorText(props.error, lang)}
    </p>
  );
}

export function Field(props: { id: string; label: string; hint?: string; children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint ? (
        <small id={`${props.id}-hint`} class="hint">
          {props.hint}
        </small>
      ) : null}
    </div>
  );
}

/**
 * The 8-digit netid password: set at enrollment (`fresh`), or asked when the authority must
 * confirm it is the holder (a `cert+password` sign-in, revoking, cancelling).
 */
export function NetidPasswordField(props: {
  id: string;
  label: string;
  hint?: string;
  value: string;
  onValue: (value: string) => void;
  fresh?: boolean;
}) {
  return (
    <Field id={props.id} label={props.label} {...(props.hint ? { hint: props.hint } : {})}>
      <input
        id={props.id}
        type="password"
        inputMode="numeric"
        autocomplete={props.fresh ? 'new-password' : 'off'}
        pattern="[0-9]{8}"
        maxLength={8}
        required
        aria-describedby={props.hint ? `${props.id}-hint` : undefined}
        value={props.value}
        onInput={(e) => props.onValue(e.currentTarget.value)}
      />
    </Field>
  );
}

/** Runs an async action for a form: busy while it runs, its failure kept for <ErrorNote>. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const run = async (action: () => Promise<void>) => {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (e) {
      if (import.meta.env.DEV) console.warn(e);
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}
