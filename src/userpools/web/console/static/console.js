// The console works without this file; with it: a live outbox and a Cancel that goes back.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const back of document.querySelectorAll("[data-back]")) {
    back.addEventListener("click", (event) => {
      if (history.length > 1) { event.preventDefault(); history.back(); }
    });
  }
  for (const refresh of document.querySelectorAll("[data-live]")) {
    const label = document.createElement("label");
    label.className = "check";
    const box = document.createElement("input");
    box.type = "checkbox";
    box.checked = true;
    label.append(box, " Live");
    refresh.after(label);
    setInterval(async () => {
      if (!box.checked || document.hidden) return;
      const answer = await fetch(location.href, { credentials: "same-origin" });
      if (!answer.ok) return;
      const page = new DOMParser().parseFromString(await answer.text(), "text/html");
      const fresh = page.getElementById(refresh.dataset.live);
      const shown = document.getElementById(refresh.dataset.live);
      if (fresh && shown) shown.replaceWith(fresh);
    }, 3000);
  }
});
