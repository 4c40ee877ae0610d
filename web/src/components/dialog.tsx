import { useEffect, useRef } from 'react';

/**
 * A modal `<dialog>` shown for as long as its component is mounted: the rest of the page is inert, the
 * focus starts on the cancel button (the safe choice) and goes back to whatever opened it afterwards.
 */
export function useModalDialog() {
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    cancelRef.current?.focus();
    return () => {
      dialog.close();
      opener?.focus();
    };
  }, []);
  return { ref, cancelRef };
}
