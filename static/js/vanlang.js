// Tree branches load their children when opened, so a national tree never renders whole.
document.addEventListener("toggle", function (event) {
  const details = event.target;
  if (!(details instanceof HTMLDetailsElement) || !details.open || !details.dataset.src || details.dataset.loaded) {
    return;
  }
  details.dataset.loaded = "1";
  const holder = details.querySelector(".branch");
  fetch(details.dataset.src, { credentials: "same-origin" })
    .then(function (response) {
      // Redirected: the session has ended and this is the login page, not a branch. Reload, so
      // the user logs in again and comes back here.
      if (response.redirected) { window.location.reload(); return null; }
      if (!response.ok) { throw new Error(response.status); }
      return response.text();
    })
    .then(function (html) { if (html !== null) { holder.innerHTML = html; } })
    .catch(function () {
      delete details.dataset.loaded;
      holder.textContent = holder.dataset.error;
    });
}, true);

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
