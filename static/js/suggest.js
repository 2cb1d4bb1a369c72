// Suggestions as you type in a search box: the WAI-ARIA combobox pattern with a listbox popup
// and list autocomplete (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/). Progressive
// enhancement: without this file every box is a plain search form, and with it Enter still
// submits the search unless a suggestion has been chosen with the arrow keys.
(() => {
  "use strict";
  const WAIT_MS = 200; // ask once typing pauses, not on every key
  const WORD = /[\p{L}\p{N}]+/gu;

  // The title as text nodes, with the typed beginnings of its words in <mark> elements.
  function highlighted(title, typed) {
    const fragment = document.createDocumentFragment();
    title.split(/([\p{L}\p{N}]+)/u).forEach((part, index) => {
      const lower = part.toLowerCase();
      const word = index % 2 === 1 && typed.find((w) => lower.startsWith(w));
      if (!word) {
        fragment.append(part);
        return;
      }
      const mark = document.createElement("mark");
      mark.textContent = part.slice(0, word.length);
      fragment.append(mark, part.slice(word.length));
    });
    return fragment;
  }

  function enhance(input) {
    const url = input.dataset.suggestUrl;
    const min = Number(input.dataset.suggestMin) || 2;
    const max = Number(input.dataset.suggestMax) || 100;
    const anchor = input.parentElement;
    const list = document.createElement("ul");
    list.id = `${input.id}-suggestions`;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Search suggestions");
    list.hidden = true;
    const status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    anchor.classList.add("suggest-anchor");
    anchor.append(list, status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");

    let options = [];
    let active = -1;
    let shownFor = null; // the text the options were fetched for
    let announced = "";
    let timer = 0;
    let controller = null;

    function setActive(index) {
      if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
      active = index;
      if (active < 0) {
        input.removeAttribute("aria-activedescendant");
        return;
      }
      const option = options[active];
      option.setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    }

    function open() {
      if (!options.length) return;
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      setActive(-1);
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }

    function forget() {
      clearTimeout(timer);
      if (controller) controller.abort();
      controller = null;
      options = [];
      shownFor = null;
      list.replaceChildren();
      close();
    }

    function announce(message) {
      if (message === announced) return;
      announced = message;
      status.textContent = message;
    }

    function go(option) {
      const target = option.dataset.url || "";
      // Only the hub's own pages: a path, never another origin or a script URL.
      if (target.startsWith("/") && !target.startsWith("//")) window.location.assign(target);
    }

    function render(text, suggestions) {
      const typed = (text.toLowerCase().match(WORD) || []).sort((a, b) => b.length - a.length);
      options = suggestions.map((suggestion, index) => {
        const option = document.createElement("li");
        option.id = `${list.id}-${index}`;
        option.className = "suggestion";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.url = suggestion.url;
        const detail = suggestion.detail ? `, ${suggestion.detail}` : "";
        option.setAttribute("aria-label", `${suggestion.title}, ${suggestion.label}${detail}`);
        const title = document.createElement("span");
        title.className = "suggestion-title";
        title.append(highlighted(suggestion.title, typed));
        const kind = document.createElement("span");
        kind.className = "suggestion-kind";
        kind.textContent = suggestion.label;
        option.append(title, kind);
        if (suggestion.detail) {
          const more = document.createElement("span");
          more.className = "suggestion-detail";
          more.textContent = suggestion.detail;
          option.append(more);
        }
        return option;
      });
      shownFor = text;
      active = -1;
      input.removeAttribute("aria-activedescendant");
      list.replaceChildren(...options);
      if (!options.length) {
        close();
        announce("No suggestions.");
        return;
      }
      if (document.activeElement === input) open();
      const count = `${options.length} suggestion${options.length === 1 ? "" : "s"}`;
      announce(`${count}. Use the up and down arrow keys to choose one.`);
    }

    async function ask(text) {
      if (controller) controller.abort();
      controller = new AbortController();
      const signal = controller.signal;
      try {
        const response = await fetch(`${url}?q=${encodeURIComponent(text)}`, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
          signal,
        });
        if (!response.ok) throw new Error(`suggestions answered ${response.status}`);
        const body = await response.json();
        if (!signal.aborted && input.value === text) render(text, body.suggestions || []);
      } catch (_) {
        if (!signal.aborted) forget();
      }
    }

    function usable(text) {
      const length = text.trim().length;
      return length >= min && text.length <= max;
    }

    input.addEventListener("input", () => {
      const text = input.value;
      clearTimeout(timer);
      if (!usable(text)) {
        forget();
        return;
      }
      timer = setTimeout(() => ask(text), WAIT_MS);
    });

    input.addEventListener("keydown", (event) => {
      if (event.isComposing) return;
      const current = shownFor === input.value;
      switch (event.key) {
        case "ArrowDown":
          if (!current || !options.length) return;
          event.preventDefault();
          if (list.hidden) {
            open();
            if (!event.altKey) setActive(0);
          } else {
            setActive(active + 1 < options.length ? active + 1 : 0);
          }
          break;
        case "ArrowUp":
          if (!current || !options.length) return;
          event.preventDefault();
          if (list.hidden) {
            open();
            setActive(options.length - 1);
          } else {
            setActive(active > 0 ? active - 1 : -1);
          }
          break;
        case "Enter":
          if (!list.hidden && active >= 0) {
            event.preventDefault();
            go(options[active]);
          }
          break;
        case "Escape":
          if (!list.hidden) {
            event.preventDefault();
            close();
          } else if (input.value) {
            event.preventDefault();
            input.value = "";
            forget();
          }
          break;
        case "Tab":
          close();
          break;
        default:
      }
    });

    input.addEventListener("blur", close);
    input.addEventListener("focus", () => {
      if (shownFor === input.value) open();
    });
    input.form.addEventListener("submit", close);
    // Keep focus in the box while a suggestion is pressed, so the click lands on it.
    list.addEventListener("mousedown", (event) => event.preventDefault());
    list.addEventListener("click", (event) => {
      const option = event.target.closest('[role="option"]');
      if (option) go(option);
    });
  }

  document.querySelectorAll("input[data-suggest-url]").forEach(enhance);
})();
