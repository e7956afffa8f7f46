// "Fill empty rows": every row without a level gets the chosen one.
document.getElementById("fill-empty")?.addEventListener("click", function () {
  const value = document.getElementById("fill-level").value;
  document.querySelectorAll("#entry-table select").forEach(function (select) {
    if (!select.value) { select.value = value; }
  });
});
