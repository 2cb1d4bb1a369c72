// One WebSocket per browser tab (docs/realtime-protocol.md). Reconnects with backoff, keeps
// subscriptions across reconnects, and shows mention and reply notifications on every page.
(() => {
  "use strict";
  const PROTOCOL = 1;
  const handlers = new Map();
  const subscriptions = new Map(); // conversation id -> function returning the last seq held
  const pending = new Map(); // ref -> frame, resent after a reconnect until acknowledged
  let socket = null;
  let attempt = 0;
  let refCounter = 0;
  let state = "connecting";

  function emit(type, frame) {
    (handlers.get(type) || []).forEach((fn) => fn(frame));
    (handlers.get("*") || []).forEach((fn) => fn(frame));
  }

  function setState(next) {
    state = next;
    emit("state", { type: "state", state: next });
  }

  function raw(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    socket = new WebSocket(`${scheme}//${location.host}/ws/`);
    socket.addEventListener("open", () => {
      attempt = 0;
    });
    socket.addEventListener("message", (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch (_) {
        return;
      }
      if (frame.type === "hello") {
        setState("catching-up");
        subscriptions.forEach((lastSeq, conversation) => {
          raw({ v: PROTOCOL, type: "subscribe", conversation, last_seq: lastSeq() });
        });
        pending.forEach((pendingFrame) => raw(pendingFrame));
        if (!subscriptions.size) setState("live");
      }
      if (frame.type === "subscribed") setState("live");
      if ((frame.type === "ack" || frame.type === "error") && frame.ref) pending.delete(frame.ref);
      if (frame.type === "error" && frame.code === "unauthenticated") {
        setState("signed-out");
        return;
      }
      emit(frame.type, frame);
    });
    socket.addEventListener("close", (event) => {
      if (event.code === 4401) return;
      setState("reconnecting");
      const delay = Math.min(15000, 500 * 2 ** attempt) * (0.75 + Math.random() / 2);
      attempt += 1;
      setTimeout(connect, delay);
    });
  }

  window.hubLive = {
    on(type, fn) {
      if (!handlers.has(type)) handlers.set(type, []);
      handlers.get(type).push(fn);
    },
    get state() {
      return state;
    },
    // Send a frame; frames that change something are kept and resent after a reconnect until
    // the server acknowledges them (sends carry a client id, so a resend is never a duplicate).
    send(frame, { durable = false } = {}) {
      refCounter += 1;
      const full = { v: PROTOCOL, ref: `r${refCounter}`, ...frame };
      if (durable) pending.set(full.ref, full);
      raw(full);
      return full.ref;
    },
    subscribe(conversation, lastSeq) {
      subscriptions.set(conversation, lastSeq);
      raw({ v: PROTOCOL, type: "subscribe", conversation, last_seq: lastSeq() });
    },
  };

  function showNotification(frame) {
    const region = document.getElementById("live-notifications");
    if (!region) return;
    const item = document.createElement("p");
    item.className = "notice";
    const what = frame.kind === "reply" ? "replied to you" : "mentioned you";
    const link = document.createElement("a");
    link.href = frame.url || "#";
    link.textContent = `${frame.from || "Someone"} ${what} in “${frame.title}”`;
    item.appendChild(link);
    region.appendChild(item);
    region.hidden = false;
  }

  window.hubLive.on("notification", showNotification);
  // The heartbeat that keeps this person shown as online.
  setInterval(() => raw({ v: PROTOCOL, type: "ping" }), 25000);
  if (document.body.dataset.live === "1") connect();
})();
