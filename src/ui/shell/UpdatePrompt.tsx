import { useState, useSyncExternalStore } from 'react';
import type { UpdateSignal } from '../sw/updates.ts';

const NEVER: UpdateSignal = { available: () => false, subscribe: () => () => undefined };

/** Offers a reload once a deployed update has taken over; until then (or after "Later") this tab keeps its version. */
export function UpdatePrompt({ updates = NEVER, reload = () => window.location.reload() }: { updates?: UpdateSignal; reload?: () => void }) {
  const available = useSyncExternalStore(updates.subscribe, updates.available);
  const [later, setLater] = useState(false);
  if (!available || later) return null;
  return (
    <div className="update-prompt" role="status" aria-label="Update available">
      <span>A new version of the app is available. This tab keeps working on the version it opened with until you reload.</span>
      <button type="button" onClick={reload}>Reload</button>
      <button type="button" onClick={() => setLater(true)}>Later</button>
    </div>
  );
}
