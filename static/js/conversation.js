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
  // Problems get their own polite region, so the connection state above stays visible.
  const problems = document.getElementById("live-problems");
  const typingLine = document.getElementById("latest");
  const form = document.getElementById("compose");
  let lastSeq = Number(root.dataset.lastSeq);
  // An earlier page of the conversation takes changes to the messages it shows, and only
  // says that new ones were posted.
  const atLatest = root.dataset.atLatest === "1";
  const latestUrl = root.dataset.latestUrl;
  // Times as the server writes them ("24 Nov, 09:05", Django's "j M, H:i"), in its time zone.
  const timeParts = new Intl.DateTimeFormat("en-GB", {
    day: "numeric",
    month: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone: root.dataset.timeZone || undefined,
  });
  const MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(" ");
  function formatTime(date) {
    const part = Object.fromEntries(timeParts.formatToParts(date).map((p) => [p.type, p.value]));
    return `${Number(part.day)} ${MONTHS[Number(part.month) - 1]}, ${part.hour}:${part.minute}`;
  }
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

  // A passing notice clears itself once every queued change has been acknowledged.
  let passingNotice = false;
  function showProblem(text, { passing = false } = {}) {
    problems.textContent = text;
    passingNotice = passing;
  }
  live.on("ack", () => {
    if (passingNotice && live.waiting === 0) showProblem("");
  });
  // Changes made while reconnecting are queued by live.js; say so rather than seem to fail.
  function sendChange(frame) {
    if (!live.connected) {
      showProblem("Not connected: your change will be made when the connection is back.", {
        passing: true,
      });
    }
    return live.send(frame, { durable: true });
  }

  // A message in brief, as the server's "Replying to" line gives it.
  function excerptOf(item) {
    const text = item.querySelector(".body").textContent.replace(/\s+/g, " ").trim();
    return text.length > 80 ? `${text.slice(0, 79)}…` : text;
  }
  function authorOf(item) {
    return item.dataset.author || "a former member";
  }

  // The author, linked to their profile, and their organisation, as message.html has it.
  function authorLine(author) {
    const line = document.createElement("span");
    line.className = "author";
    if (!author) {
      line.textContent = "A former member";
      return line;
    }
    const link = document.createElement("a");
    link.textContent = author.name;
    if (author.url) link.href = author.url;
    line.append(link);
    if (author.organisation) line.append(`, ${author.organisation}`);
    return line;
  }
  function timeOf(iso) {
    const time = document.createElement("time");
    if (iso) {
      time.dateTime = iso;
      time.textContent = formatTime(new Date(iso));
    }
    return time;
  }

  // Words for screen readers only, as the templates' class="visually-hidden" spans.
  function hiddenText(text) {
    const span = document.createElement("span");
    span.className = "visually-hidden";
    span.textContent = text;
    return span;
  }

  // "edited": for the author and facilitators, a link to the earlier versions.
  function editedMark(payload) {
    if (!(canFacilitate || (payload.author && payload.author.id === me))) return "edited";
    const link = document.createElement("a");
    link.href = `${root.dataset.messagesUrl}${payload.id}/history/`;
    link.append("edited", hiddenText(": see the earlier versions"));
    return link;
  }

  function messageElement(payload) {
    let item = document.getElementById(`message-${payload.seq}`);
    if (!item) {
      item = document.createElement("li");
      item.className = "message";
      item.id = `message-${payload.seq}`;
      item.dataset.seq = payload.seq;
      item.dataset.message = payload.id;
      item.dataset.author = payload.author ? payload.author.name : "";
      const meta = document.createElement("p");
      meta.className = "meta";
      meta.append(authorLine(payload.author), " · ", timeOf(payload.created_at), " ");
      const edited = document.createElement("span");
      edited.className = "edited";
      edited.append("· ", editedMark(payload));
      const pinned = document.createElement("span");
      pinned.className = "pinned badge";
      pinned.textContent = "Pinned";
      meta.append(edited, " ", pinned);
      const body = document.createElement("div");
      body.className = "body";
      const reactions = document.createElement("ul");
      reactions.className = "reactions";
      reactions.setAttribute("aria-label", "Reactions");
      item.append(meta, body, reactions);
      list.querySelector(".messages-empty")?.remove();
      // Keep sequence order even if an earlier message arrives late.
      const later = [...list.children].find((li) => Number(li.dataset.seq) > payload.seq);
      list.insertBefore(item, later || null);
    }
    return item;
  }

  const canFacilitate = root.dataset.canFacilitate === "1";
  const canPost = root.dataset.canPost === "1";

  function actionButton(label, action, hiddenLabel) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "link-button";
    button.dataset.action = action;
    button.textContent = label;
    if (hiddenLabel) button.appendChild(hiddenText(` ${hiddenLabel}`));
    return button;
  }

  function renderActions(item, payload) {
    let bar = item.querySelector(".message-actions");
    if (!bar) {
      bar = document.createElement("div");
      bar.className = "message-actions";
      item.appendChild(bar);
    }
    bar.replaceChildren();
    if (!canPost || payload.deleted) return;
    const who = payload.author ? `message from ${payload.author.name}` : "message";
    if (form) {
      bar.append(actionButton("Reply", "reply", `to ${who}`));
    } else {
      // An earlier page has no composer: replying goes to the latest page, as without script.
      const reply = document.createElement("a");
      reply.href = `${latestUrl}?reply_to=${payload.id}#compose`;
      reply.append("Reply", hiddenText(` to ${who}`));
      bar.append(reply);
    }
    bar.append(actionButton("👍", "react", `React with thumbs up to ${who}`));
    const mine = payload.author && payload.author.id === me;
    if (mine || canFacilitate) {
      bar.append(actionButton("Edit", "edit", who), actionButton("Delete", "delete", who));
    }
    if (canFacilitate) bar.append(actionButton(payload.pinned ? "Unpin" : "Pin", "pin", who));
    item.dataset.pinned = payload.pinned ? "1" : "";
    item.dataset.reacted = (payload.reactions["👍"] || []).includes(me) ? "1" : "";
  }

  list.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const item = button.closest(".message");
    const message = Number(item.dataset.message);
    const action = button.dataset.action;
    if (action === "reply") {
      startReply({ id: message, author: authorOf(item), excerpt: excerptOf(item) });
    } else if (action === "react") {
      sendChange({ type: "reaction", message, emoji: "👍", add: item.dataset.reacted !== "1" });
    } else if (action === "pin") {
      sendChange({ type: "pin", message, pinned: item.dataset.pinned !== "1" });
    } else if (action === "delete") {
      if (window.confirm("Delete this message?")) sendChange({ type: "delete", message });
    } else if (action === "edit") {
      const body = item.querySelector(".body");
      const editor = document.createElement("form");
      editor.className = "edit-form";
      const label = document.createElement("label");
      label.textContent = "Edit message";
      label.htmlFor = `edit-${message}`;
      const area = document.createElement("textarea");
      area.id = `edit-${message}`;
      area.rows = 3;
      area.value = body.innerText.trim();
      const save = document.createElement("button");
      save.type = "submit";
      save.textContent = "Save";
      editor.append(label, area, save);
      editor.addEventListener("submit", (submit) => {
        submit.preventDefault();
        if (area.value.trim()) sendChange({ type: "edit", message, body: area.value.trim() });
        editor.remove();
      });
      body.after(editor);
      area.focus();
    }
  });

  // "In reply to <author>", linking to the parent, as templates/groups/message.html has it.
  // A parent older than every message on the page has no place here to link to.
  // A parent older than the page links to the page that shows it.
  function replyLine(payload) {
    const line = document.createElement("p");
    line.className = "reply-to meta";
    const parent = list.querySelector(`.message[data-message="${payload.reply_to}"]`);
    const link = document.createElement("a");
    if (parent) {
      link.href = `#message-${parent.dataset.seq}`;
      link.textContent = `In reply to ${authorOf(parent)}`;
    } else if (payload.reply_to_seq) {
      link.href = `?at=${payload.reply_to_seq}#message-${payload.reply_to_seq}`;
      link.textContent = `In reply to ${payload.reply_to_author || "a former member"}`;
    } else {
      // Logged before messages carried where their parent is.
      line.textContent = "In reply to an earlier message";
      return line;
    }
    line.append(link);
    return line;
  }

  function render(payload) {
    if (!atLatest && !document.getElementById(`message-${payload.seq}`)) {
      return false;
    }
    const item = messageElement(payload);
    // A message's parent never changes: the line is made once (or came from the server).
    if (payload.reply_to && !item.querySelector(".reply-to")) {
      item.querySelector(":scope > .meta").after(replyLine(payload));
    }
    renderActions(item, payload);
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
    return true;
  }

  // The pinned list above the messages, as the server renders it, kept live: pins, unpins,
  // edits and deletions of pinned messages, on any page.
  const pinnedSection = document.getElementById("pinned");
  const pinnedList = document.getElementById("pinned-list");
  function updatePinned(payload) {
    let entry = pinnedList.querySelector(`li[data-message="${payload.id}"]`);
    if (!payload.pinned || payload.deleted) {
      if (entry) entry.remove();
    } else {
      if (!entry) {
        entry = document.createElement("li");
        entry.dataset.message = payload.id;
        const link = document.createElement("a");
        const who = document.createElement("span");
        who.className = "pinned-author";
        who.textContent = payload.author ? payload.author.name : "A former member";
        const text = document.createElement("span");
        text.className = "pinned-excerpt";
        link.append(who, ": ", text);
        entry.append(link);
        pinnedList.prepend(entry);
      }
      const onPage = document.getElementById(`message-${payload.seq}`);
      entry.querySelector("a").href = `${onPage ? "" : `?at=${payload.seq}`}#message-${payload.seq}`;
      // The server's sanitised HTML, read as text in a detached template: never run, never shown.
      const html = document.createElement("template");
      html.innerHTML = payload.html;
      const text = html.content.textContent.replace(/\s+/g, " ").trim();
      entry.querySelector(".pinned-excerpt").textContent =
        text.length > 80 ? `${text.slice(0, 79)}…` : text;
    }
    pinnedSection.hidden = pinnedList.children.length === 0;
  }

  function apply(frame) {
    if (frame.conversation !== conversation) return;
    if (frame.seq <= lastSeq) return; // already shown
    if (frame.seq > lastSeq + 1) {
      // A gap: ask for everything after what we hold; the server replays it in order.
      live.subscribe(conversation, () => lastSeq);
      return;
    }
    if (frame.type !== "message" || frame.message.pinned) updatePinned(frame.message);
    const newBelow = document.getElementById("new-below");
    if (!render(frame.message) && frame.type === "message" && !newBelow.firstChild) {
      // Inserted into the status region that was there all along, so it is announced.
      const link = document.createElement("a");
      link.href = `${latestUrl}#latest`;
      link.textContent = "New messages have been posted: go to the latest";
      const notice = document.createElement("span");
      notice.className = "notice";
      notice.append(link);
      newBelow.append(notice);
    }
    lastSeq = frame.seq;
    markRead();
  }
  ["message", "edit", "delete", "reaction", "pin"].forEach((type) => live.on(type, apply));
  live.on("reload", (frame) => {
    if (frame.conversation === conversation) location.reload();
  });
  const online = new Map();
  const onlineLine = document.getElementById("online-now");
  function showOnline() {
    if (!onlineLine) return;
    const names = [...online.values()].sort();
    onlineLine.textContent = names.length ? `Online now: ${names.join(", ")}` : "";
  }
  live.on("subscribed", (frame) => {
    if (frame.conversation !== conversation) return;
    if (frame.reload) location.reload();
    online.clear();
    (frame.online || []).forEach((person) => online.set(person.id, person.name));
    showOnline();
  });
  live.on("presence", (frame) => {
    if (frame.online) online.set(frame.person.id, frame.person.name);
    else online.delete(frame.person.id);
    showOnline();
  });
  live.on("unsubscribed", (frame) => {
    if (frame.conversation === conversation && frame.reason === "access_lost") {
      showProblem("You no longer have access to this conversation.");
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
    // While reconnecting or slowed down the read frame would be dropped: send it later.
    const sendable = live.connected && !live.slowedDown && atLatest;
    if (document.visibilityState === "visible" && lastSeq > readSent && sendable) {
      readSent = lastSeq;
      live.send({ type: "read", conversation, seq: lastSeq, from: pageStart });
    }
  }
  document.addEventListener("visibilitychange", markRead);
  live.on("subscribed", markRead);

  // The page shows the conversation from here on: mentions older than it were not seen.
  const firstShown = list.querySelector(".message");
  const pageStart = firstShown ? Number(firstShown.dataset.seq) : lastSeq + 1;
  const initial = document.getElementById("message-payloads");
  if (initial) JSON.parse(initial.textContent).forEach(render);
  live.subscribe(conversation, () => lastSeq);

  // Replying. The "Reply" buttons are only shown to people who can post, who have a composer.
  let replyingTo = null; // { id, author, excerpt }
  function startReply(parent) {
    replyingTo = parent;
    const who = document.createElement("strong");
    who.textContent = parent.author;
    document.getElementById("reply-context-text").replaceChildren(
      "Replying to ",
      who,
      `: ${parent.excerpt}`,
    );
    document.getElementById("reply-to").value = String(parent.id);
    document.getElementById("reply-context").hidden = false;
    describeComposer();
    form.querySelector("textarea").focus();
  }
  function cancelReply() {
    replyingTo = null;
    document.getElementById("reply-to").value = "";
    document.getElementById("reply-context").hidden = true;
    document.getElementById("reply-context-text").replaceChildren();
    describeComposer();
  }
  // The composer's description names the message it replies to, if any.
  function describeComposer() {
    const textarea = form.querySelector("textarea");
    const ids = (textarea.getAttribute("aria-describedby") || "")
      .split(/\s+/)
      .filter((id) => id && id !== "reply-context-text");
    if (replyingTo) ids.push("reply-context-text");
    if (ids.length) textarea.setAttribute("aria-describedby", ids.join(" "));
    else textarea.removeAttribute("aria-describedby");
  }

  const sends = new Map(); // ref -> { body, reply }: what to give back if the send is refused
  live.on("error", (frame) => {
    const refused = frame.ref && sends.get(frame.ref);
    if (!refused) {
      showProblem(frame.message);
      return;
    }
    sends.delete(frame.ref);
    const textarea = form.querySelector("textarea");
    if (textarea.value.trim()) {
      // Something new has been typed since: keep it, and say which message was not sent.
      const start = refused.body.length > 40 ? `${refused.body.slice(0, 39)}…` : refused.body;
      showProblem(`Your message “${start}” was not sent: ${frame.message}`);
      return;
    }
    textarea.value = refused.body;
    if (refused.reply) startReply(refused.reply);
    showProblem(`Your message was not sent: ${frame.message} It is back in the message box.`);
  });

  if (!form) return;
  const textarea = form.querySelector("textarea");
  const suggestions = document.getElementById("mention-suggestions");
  let lastTyping = 0;

  // The server may have filled in a reply already (the "Reply" link that works without
  // JavaScript, or a refused post shown again).
  const serverReply = Number(document.getElementById("reply-to").value);
  if (serverReply) {
    const context = document.getElementById("reply-context").dataset;
    replyingTo = { id: serverReply, author: context.author, excerpt: context.excerpt };
  }
  // Without JavaScript "Cancel reply" is a link that loads the page again; here, a button.
  const cancelButton = document.createElement("button");
  cancelButton.type = "button";
  cancelButton.className = "button-secondary";
  cancelButton.id = "cancel-reply";
  cancelButton.textContent = "Cancel reply";
  cancelButton.addEventListener("click", () => {
    cancelReply();
    textarea.focus();
  });
  document.getElementById("cancel-reply").replaceWith(cancelButton);

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = textarea.value.trim();
    if (!body) return;
    const clientId = crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
    const frame = { type: "send", conversation, client_id: clientId, body };
    if (replyingTo) frame.reply_to = replyingTo.id;
    if (!live.connected) {
      showProblem("Not connected: your message will be sent when the connection is back.", {
        passing: true,
      });
    }
    sends.set(live.send(frame, { durable: true }), { body, reply: replyingTo });
    textarea.value = "";
    suggestions.hidden = true;
    if (replyingTo) cancelReply();
  });
  live.on("ack", (frame) => sends.delete(frame.ref));
  live.on("retrying", (frame) => {
    const seconds = Math.max(1, Math.ceil(frame.after / 1000));
    const what = sends.has(frame.ref) ? "your message" : "your change";
    showProblem(`Sending too fast: ${what} will be sent in ${seconds} s.`, { passing: true });
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
