// A story's events, live: the reel page and the song reel page follow their story with it.
// The session cookie opens the stream; EventSource reconnects by itself with Last-Event-ID
// when the connection drops, and the server resumes after that event.
export const EVENT_KINDS = ["job", "progress", "status", "qc", "degraded"];

// Calls `onEvent(event)` for each event after `after`, `onEnd()` when the server closes the
// stream (the story's step is over) and `onRefused()` when it was refused (too many open,
// signed out), which EventSource does not retry. Returns {close, lastId}.
export function followStory(storyId, { after = 0, onEvent, onEnd, onRefused }) {
  let lastId = after;
  const source = new EventSource(`/api/v1/stories/${storyId}/events/stream/?after=${after}`);
  const handle = (message) => {
    const event = JSON.parse(message.data);
    lastId = Math.max(lastId, event.id);
    onEvent(event);
  };
  for (const kind of EVENT_KINDS) source.addEventListener(kind, handle);
  source.addEventListener("error", () => {
    if (source.readyState === EventSource.CLOSED && onRefused) onRefused();
  });
  source.addEventListener("end", () => {
    source.close();
    if (onEnd) onEnd();
  });
  return { close: () => source.close(), lastId: () => lastId };
}
