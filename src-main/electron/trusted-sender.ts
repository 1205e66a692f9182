// IPC is answered only for our own window showing our own page: a request from any other frame
// (an iframe, a page navigated elsewhere, a devtools extension) is refused. Pure, so testable.

export interface SenderFacts {
  /** The URL of the frame that sent the message. */
  readonly frameUrl: string | undefined;
  /** Whether the sender is the main window's webContents. */
  readonly fromMainWindow: boolean;
  /** Whether the frame is the top frame of that window. */
  readonly topFrame: boolean;
}

export function isTrustedSender(facts: SenderFacts, appUrl: string): boolean {
  if (!facts.fromMainWindow || !facts.topFrame || !facts.frameUrl) return false;
  try {
    const frame = new URL(facts.frameUrl);
    const app = new URL(appUrl);
    if (frame.protocol !== app.protocol) return false;
    if (app.protocol === 'file:') return frame.pathname === app.pathname;
    return frame.origin === app.origin;
  } catch {
    return false;
  }
}
