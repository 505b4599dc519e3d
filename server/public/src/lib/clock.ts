/**
 * The server's clock as seen from the page: battle timers count down to the server's `endsAt`, and a viewer's
 * or a streaming PC's clock may be off by minutes. Every API answer's Date header refines the offset.
 */
let offsetMs = 0;
let known = false;

export function noteServerDate(header: string | null, sentAt: number, receivedAt: number): void {
  const t = header ? Date.parse(header) : NaN;
  if (Number.isNaN(t)) return;
  // Date has one-second resolution: its middle is the best guess; the request's midpoint is when it was read.
  const estimate = t + 500 - (sentAt + receivedAt) / 2;
  offsetMs = known ? offsetMs * 0.7 + estimate * 0.3 : estimate;
  known = true;
}

/** The server's time; offsets within the Date header's own one-second resolution are noise and ignored. */
export function serverNow(): number {
  return Date.now() + (Math.abs(offsetMs) > 1500 ? offsetMs : 0);
}
