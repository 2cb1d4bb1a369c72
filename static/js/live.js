// One WebSocket per browser tab (docs/realtime-protocol.md). Reconnects with backoff, keeps
// subscriptions across reconnects, and shows mention and reply notifications on every page.
(() => {
  "use strict";
  const PROTOCOL = 1;
  const handlers = new Map();
  const subscriptions = new Map(); // conversation id -> function returning the last seq held
  // ref -> { frame, sent }: frames that change something, in the order they were made, kept
  // until the server acknowledges or refuses them and sent again after a reconnect.
  const pending = new Map();
  let socket = null;
  let attempt = 0;
  let refCounter = 0;
  let state = "connecting";
  // When a rate_limited error says to wait: until then nothing is sent, and durable frames
  // wait in pending.
  let pausedUntil = 0;
  let resumeTimer = null;

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

  function subscribeFrame(conversation) {
    const lastSeq = subscriptions.get(conversation);
    // The ref lets a subscribe refused by the rate limit be sent again.
    const ref = `s${conversation}`;
    return { v: PROTOCOL, type: "subscribe", ref, conversation, last_seq: lastSeq() };
  }

  // Send the kept frames not yet sent on this connection, oldest first.
  function flush() {
    if (Date.now() < pausedUntil) return;
    pending.forEach((entry) => {
      if (!entry.sent) entry.sent = raw(entry.frame);
    });
  }

  function pause(seconds) {
    pausedUntil = Math.max(pausedUntil, Date.now() + seconds * 1000);
    clearTimeout(resumeTimer);
    resumeTimer = setTimeout(flush, pausedUntil - Date.now());
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
        subscriptions.forEach((_, conversation) => raw(subscribeFrame(conversation)));
        // Whatever was not acknowledged may not have arrived: send it again (a send carries a
        // client id and the other changes set a state, so a second copy changes nothing).
        pending.forEach((entry) => {
          entry.sent = false;
        });
        flush();
        if (!subscriptions.size) setState("live");
      }
      if (frame.type === "subscribed") setState("live");
      if (frame.type === "error" && frame.code === "rate_limited") {
        // Slow down, and send again what was refused once the server has room for it.
        pause(Number(frame.retry_after) || 1);
        const entry = frame.ref && pending.get(frame.ref);
        if (entry) {
          entry.sent = false;
          emit("retrying", { type: "retrying", ref: frame.ref, after: pausedUntil - Date.now() });
          return;
        }
        const conversation = /^s(\d+)$/.exec(frame.ref || "");
        if (conversation && subscriptions.has(Number(conversation[1]))) {
          setTimeout(() => raw(subscribeFrame(Number(conversation[1]))), pausedUntil - Date.now());
        }
        // A refused typing notice, read position or heartbeat is not worth a word.
        return;
      }
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
    get connected() {
      return Boolean(socket && socket.readyState === WebSocket.OPEN);
    },
    // True while the server's rate limit says wait: only queued changes go out after it.
    get slowedDown() {
      return Date.now() < pausedUntil;
    },
    // How many durable frames wait for the server's answer.
    get waiting() {
      return pending.size;
    },
    // Send a frame and return its ref. A durable frame (one that changes something) is kept,
    // queued while the socket is closed or the rate limit says wait, and sent again after a
    // reconnect, until the server acknowledges or refuses it; others are dropped meanwhile.
    send(frame, { durable = false } = {}) {
      refCounter += 1;
      const full = { v: PROTOCOL, ref: `r${refCounter}`, ...frame };
      if (durable) {
        pending.set(full.ref, { frame: full, sent: false });
        flush();
      } else if (Date.now() >= pausedUntil) {
        raw(full);
      }
      return full.ref;
    },
    subscribe(conversation, lastSeq) {
      subscriptions.set(conversation, lastSeq);
      raw(subscribeFrame(conversation));
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
    showUnread(frame.unread);
  }
  // The header's unread notification count, as the server counts it.
  function showUnread(count) {
    const badge = document.getElementById("notification-count");
    if (!badge || typeof count !== "number") return;
    badge.querySelector(".count").textContent = String(count);
    badge.hidden = count === 0;
  }
  window.hubLive.on("read", (frame) => showUnread(frame.notifications_unread));

  window.hubLive.on("notification", showNotification);
  // The heartbeat that keeps this person shown as online.
  setInterval(() => raw({ v: PROTOCOL, type: "ping" }), 25000);
  if (document.body.dataset.live === "1") connect();
})();
