// "Add a row" for a Django formset: clones the formset's empty form (kept in a <template>),
// numbers it with the next index and raises TOTAL_FORMS, so rows are added without a save.
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-formset-add]");
  if (!button) { return; }
  const prefix = button.dataset.formsetAdd;
  const template = document.getElementById(button.dataset.formsetTemplate);
  const table = document.getElementById(button.dataset.formsetTable);
  const total = document.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
  if (!template || !table || !total) { return; }
  const index = Number(total.value);
  const html = template.innerHTML.replace(/__prefix__/g, String(index));
  const body = table.querySelector("[data-formset-body]") || table.tBodies[0];
  body.insertAdjacentHTML("beforeend", html);
  total.value = String(index + 1);
  const first = body.lastElementChild && body.lastElementChild.querySelector("select, input, textarea");
  if (first) { first.focus(); }
});
