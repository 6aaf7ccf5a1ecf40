import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/**
 * The outcome of an action, announced, and focused: the control that was pressed has often just
 * disappeared (a closed confirmation, a forgotten entry), and the keyboard should not fall to the top.
 */
export function Notice(props: { text: string; children?: ComponentChildren }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.focus(), [props.text]);
  return (
    <div class="notice" role="status" tabIndex={-1} ref={box} data-testid="notice">
      <p style={{ margin: 0 }}>{props.text}</p>
      {props.children}
    </div>
  );
}
