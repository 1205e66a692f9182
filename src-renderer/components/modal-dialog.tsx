// A modal <dialog>, open while mounted: the parent mounts it to open it; Escape asks the parent to
// close it (onClose) instead of closing it behind React's back.
import { useEffect, useRef, type ReactNode } from 'react';

export function ModalDialog(props: { readonly className: string; readonly title: string; readonly titleId: string; readonly onClose: () => void; readonly children: ReactNode }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  return (
    <dialog
      ref={dialog}
      className={props.className}
      aria-labelledby={props.titleId}
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
    >
      <h2 id={props.titleId}>{props.title}</h2>
      {props.children}
    </dialog>
  );
}
