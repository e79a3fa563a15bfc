// Runs in: the renderer. The "New messages" line above the first message that was unread
// when the room was opened.
export function NewMessagesLine() {
  return (
    <div className="row">
      <div role="separator" aria-label="New messages" className="new-messages-line">
        <span aria-hidden="true">New messages</span>
      </div>
    </div>
  );
}
