// The live conversation page: applies events in sequence order, sends with client ids,
// shows "reconnecting… / up to date", typing, mention suggestions and read positions.
(() => {
  "use strict";
  const root = document.getElementById("conversation");
  if (!root || !window.hubLive) return;
  const live = window.hubLive;
  const conversation = Number(root.dataset.conversation);
  const me = Number(root.dataset.me);
  const list = document.getElementById("messages");
  const status = document.getElementById("live-status");
  const typingLine = document.getElementById("latest");
  const form = document.getElementById("compose");
  let lastSeq = Number(root.dataset.lastSeq);
  let readSent = lastSeq;
  const typingTimers = new Map();

  const STATES = {
    connecting: "Connecting…",
    "catching-up": "Catching up…",
    live: "Up to date",
    reconnecting: "Reconnecting…",
    "signed-out": "Signed out: reload the page to sign in again",
  };
  function showState(state) {
    status.hidden = false;
    status.textContent = STATES[state] || state;
    status.dataset.state = state;
  }
  live.on("state", (frame) => showState(frame.state));
  showState(live.state);

  function messageElement(payload) {
    let item = document.getElementById(`message-${payload.seq}`);
    if (!item) {
      item = document.createElement("li");
      item.className = "message";
      item.id = `message-${payload.seq}`;
      item.dataset.seq = payload.seq;
      item.dataset.message = payload.id;
      const meta = document.createElement("p");
      meta.className = "meta";
      const author = document.createElement("span");
      author.className = "author";
      author.textContent = payload.author ? payload.author.name : "A former member";
      const edited = document.createElement("span");
      edited.className = "edited";
      edited.textContent = " · edited";
      const pinned = document.createElement("span");
      pinned.className = "pinned badge";
      pinned.textContent = "Pinned";
      meta.append(author, edited, pinned);
      const body = document.createElement("div");
      body.className = "body";
      const reactions = document.createElement("ul");
      reactions.className = "reactions";
      reactions.setAttribute("aria-label", "Reactions");
      item.append(meta, body, reactions);
      // Keep sequence order even if an earlier message arrives late.
      const later = [...list.children].find((li) => Number(li.dataset.seq) > payload.seq);
      list.insertBefore(item, later || null);
    }
    return item;
  }

  function render(payload) {
    const item = messageElement(payload);
    // The server renders and sanitises message HTML (hub/markdown.py); it is never built here.
    item.querySelector(".body").innerHTML = payload.deleted
      ? '<p class="meta"><em>This message was deleted.</em></p>'
      : payload.html;
    item.classList.toggle("is-deleted", payload.deleted);
    item.querySelector(".edited").hidden = !payload.edited || payload.deleted;
    item.querySelector(".pinned").hidden = !payload.pinned;
    const reactions = item.querySelector(".reactions");
    reactions.replaceChildren(
      ...Object.entries(payload.reactions).map(([emoji, people]) => {
        const li = document.createElement("li");
        li.textContent = `${emoji} ${people.length}`;
        return li;
      }),
    );
  }

  function apply(frame) {
    if (frame.conversation !== conversation) return;
    if (frame.seq <= lastSeq) return; // already shown
    if (frame.seq > lastSeq + 1) {
      // A gap: ask for everything after what we hold; the server replays it in order.
      live.subscribe(conversation, () => lastSeq);
      return;
    }
    render(frame.message);
    lastSeq = frame.seq;
    markRead();
  }
  ["message", "edit", "delete", "reaction", "pin"].forEach((type) => live.on(type, apply));
  live.on("reload", (frame) => {
    if (frame.conversation === conversation) location.reload();
  });
  live.on("subscribed", (frame) => {
    if (frame.conversation === conversation && frame.reload) location.reload();
  });
  live.on("unsubscribed", (frame) => {
    if (frame.conversation === conversation && frame.reason === "access_lost") {
      status.textContent = "You no longer have access to this conversation.";
      if (form) form.hidden = true;
    }
  });
  live.on("typing", (frame) => {
    if (frame.conversation !== conversation || frame.person.id === me) return;
    clearTimeout(typingTimers.get(frame.person.id));
    typingTimers.set(
      frame.person.id,
      setTimeout(() => {
        typingTimers.delete(frame.person.id);
        typingLine.textContent = "";
      }, 5000),
    );
    typingLine.textContent = `${frame.person.name} is typing…`;
  });

  function markRead() {
    if (document.visibilityState === "visible" && lastSeq > readSent) {
      readSent = lastSeq;
      live.send({ type: "read", conversation, seq: lastSeq });
    }
  }
  document.addEventListener("visibilitychange", markRead);

  live.subscribe(conversation, () => lastSeq);

  if (!form) return;
  const textarea = form.querySelector("textarea");
  const suggestions = document.getElementById("mention-suggestions");
  let lastTyping = 0;

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = textarea.value.trim();
    if (!body) return;
    const clientId = crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
    live.send({ type: "send", conversation, client_id: clientId, body }, { durable: true });
    textarea.value = "";
    suggestions.hidden = true;
  });
  live.on("error", (frame) => {
    status.textContent = frame.message;
  });

  textarea.addEventListener("input", async () => {
    const now = Date.now();
    if (now - lastTyping > 3000) {
      lastTyping = now;
      live.send({ type: "typing", conversation });
    }
    const match = /@\*{0,2}([^*@\n]{1,30})$/.exec(textarea.value.slice(0, textarea.selectionStart));
    if (!match) {
      suggestions.hidden = true;
      return;
    }
    const response = await fetch(`${root.dataset.peopleUrl}?q=${encodeURIComponent(match[1])}`);
    if (!response.ok) return;
    const { people } = await response.json();
    suggestions.replaceChildren(
      ...people.map((person) => {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "button-secondary";
        button.textContent = `Mention ${person.name}`;
        button.addEventListener("click", () => {
          const before = textarea.value.slice(0, textarea.selectionStart - match[0].length);
          const after = textarea.value.slice(textarea.selectionStart);
          textarea.value = `${before}@**${person.name}** ${after}`;
          suggestions.hidden = true;
          textarea.focus();
        });
        return button;
      }),
    );
    suggestions.hidden = people.length === 0;
  });
})();
