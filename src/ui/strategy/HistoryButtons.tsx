export interface HistoryButtonsProps {
  canUndo: boolean;
  canRedo: boolean;
  onUndo: () => void;
  onRedo: () => void;
}

export function HistoryButtons({ canUndo, canRedo, onUndo, onRedo }: HistoryButtonsProps) {
  return (
    <span className="history">
      <button type="button" aria-keyshortcuts="Control+Z" disabled={!canUndo} onClick={onUndo}>
        Undo
      </button>
      <button type="button" aria-keyshortcuts="Control+Shift+Z" disabled={!canRedo} onClick={onRedo}>
        Redo
      </button>
    </span>
  );
}
