// Rookery's website works without this script. With it: buttons under posts act
// without leaving the page, forms that delete ask first, the compose box counts
// characters, and the home and public timelines show new posts as they arrive (told by the web
// stream when signed in).
"use strict";

function replacePosts(html) {
  const doc = new DOMParser().parseFromString(html, "text/html");
  for (const fresh of doc.querySelectorAll("article.post")) {
    const old = document.getElementById(fresh.id);
    if (old) old.replaceWith(document.importNode(fresh, true));
  }
}

document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
    return;
  }
  if (!form.classList.contains("action") || !form.closest("article.post")) return;
  if (form.dataset.confirm) return; // a deletion reloads the page
  event.preventDefault();
  const button = form.querySelector("button");
  if (button) button.disabled = true;
  try {
    const response = await fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" });
    if (!response.ok) throw new Error(String(response.status));
    replacePosts(await response.text());
  } catch (_) {
    form.submit();
  }
});

function countCharacters(textarea) {
  const output = document.getElementById(textarea.dataset.counter);
  if (!output) return;
  // As Mastodon counts: every link is 23 characters.
  const length = [...textarea.value.replace(/https?:\/\/\S+/g, "x".repeat(23))].length;
  const left = textarea.maxLength - length;
  output.textContent = left >= 0 ? `${left} characters left` : `${-left} characters too many`;
}

document.addEventListener("input", (event) => {
  if (event.target instanceof HTMLTextAreaElement && event.target.dataset.counter) countCharacters(event.target);
});

async function poll(timeline) {
  const newest = timeline.querySelector("article.post");
  const url = new URL(window.location.href);
  if (newest) url.searchParams.set("min_id", newest.dataset.id);
  try {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) return;
    const doc = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = [...doc.querySelectorAll(".timeline article.post")].filter((p) => !document.getElementById(p.id));
    if (fresh.length) timeline.querySelector(".empty")?.remove();
    for (const post of fresh.reverse()) timeline.prepend(document.importNode(post, true));
  } catch (_) {
    // Offline for a moment; the next round tries again.
  }
}

// Signed in, the page's stream says when something arrived; signed out, or where
// EventSource is missing, the page looks every 15 seconds.
for (const timeline of document.querySelectorAll(".timeline[data-poll=true]")) {
  if (timeline.dataset.stream && "EventSource" in window) {
    let pending = null;
    const events = new EventSource(timeline.dataset.stream);
    events.addEventListener("update", () => {
      pending ??= window.setTimeout(() => { pending = null; poll(timeline); }, 300);
    });
    events.addEventListener("delete", (event) => document.getElementById(`post-${event.data}`)?.remove());
  } else {
    window.setInterval(() => { if (!document.hidden) poll(timeline); }, 15000);
  }
}
