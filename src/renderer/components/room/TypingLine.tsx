// Runs in: the renderer. The line under the message list saying who is typing in the
// room: "alice is typing…", "alice and bob are typing…", "several people are typing…".
// Always in the page (empty when nobody types), so screen readers hear it change.
import { selectTypists, typingText, useTypingStore } from '../../stores/typing';

export function TypingLine({ roomId }: { roomId: string }) {
  const typists = useTypingStore(selectTypists(roomId));
  const text = typingText(typists.map((t) => t.username));
  return (
    <div className="typing-line" role="status" aria-live="polite">
      {text && (
        <>
          <span className="typing-dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          <span dir="auto">{text}</span>
        </>
      )}
    </div>
  );
}
