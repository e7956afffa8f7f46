// Tree branches load their children when opened, so a national tree never renders whole. The
// toggle is a button beside the unit's link (not a <summary> around it: no control in a control).
document.addEventListener("click", function (event) {
  const toggle = event.target.closest(".tree-toggle");
  if (!toggle) { return; }
  const holder = document.getElementById(toggle.getAttribute("aria-controls"));
  const open = toggle.getAttribute("aria-expanded") !== "true";
  toggle.setAttribute("aria-expanded", open ? "true" : "false");
  holder.hidden = !open;
  if (!open || toggle.dataset.loaded) { return; }
  toggle.dataset.loaded = "1";
  fetch(toggle.dataset.src, { credentials: "same-origin" })
    .then(function (response) {
      // Redirected: the session has ended and this is the login page, not a branch. Reload, so
      // the user logs in again and comes back here.
      if (response.redirected) { window.location.reload(); return null; }
      if (!response.ok) { throw new Error(response.status); }
      return response.text();
    })
    .then(function (html) { if (html !== null) { holder.innerHTML = html; } })
    .catch(function () {
      delete toggle.dataset.loaded;
      holder.textContent = holder.dataset.error;
    });
});

// A table wider than the screen scrolls sideways: keyboard users must be able to reach it.
function focusableScrollers() {
  document.querySelectorAll(".table-responsive").forEach(function (box) {
    const scrolls = box.scrollWidth > box.clientWidth;
    const hasFocusable = box.querySelector("a[href], button, input, select, textarea, [tabindex]");
    if (scrolls && !hasFocusable && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      const caption = box.querySelector("caption");
      const heading = box.previousElementSibling;
      box.setAttribute("aria-label", (caption || heading || box).textContent.trim().slice(0, 80));
    }
  });
}
document.addEventListener("DOMContentLoaded", focusableScrollers);

// A form submitted once is not submitted again by a second click on a slow connection.
document.addEventListener("submit", function (event) {
  const form = event.target;
  if (form.dataset.submitted) { event.preventDefault(); return; }
  form.dataset.submitted = "1";
  // Disabled after this turn, so the clicked button's own name and value are still sent.
  setTimeout(function () {
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
  }, 0);
});

// Progress bars take their width from data-progress: the Content-Security-Policy allows no
// inline style attribute, but a style set from a script file is fine.
document.querySelectorAll(".progress-bar[data-progress]").forEach(function (bar) {
  bar.style.width = bar.dataset.progress + "%";
});

// A form that failed: its error summary takes the focus, so a phone shows it and a screen
// reader reads it, and each of its links moves the focus to the field it names.
(function () {
  const summary = document.getElementById("error-summary");
  if (!summary) { return; }
  summary.focus();
  summary.addEventListener("click", function (event) {
    const link = event.target.closest("a[href^='#']");
    const field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) { return; }
    event.preventDefault();
    field.scrollIntoView({ block: "center" });
    field.focus();
  });
})();
