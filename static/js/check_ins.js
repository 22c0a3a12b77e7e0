// The attendance sheet, live: every few seconds ask who checked themselves in
// by QR, mark them present (unless the secretary already chose otherwise for
// that member) and show a badge. Saving the sheet stays the one record.
(function () {
  "use strict";
  var sheet = document.getElementById("attendance-sheet");
  if (!sheet || !sheet.dataset.checkInsUrl) return;
  var touched = {};
  sheet.addEventListener("change", function (event) {
    var row = event.target.closest(".attendance-row");
    if (row && event.isTrusted) touched[row.dataset.member] = true;
  });

  function mark(entry) {
    var row = sheet.querySelector('.attendance-row[data-member="' + entry.member + '"]');
    if (!row) return;
    var badge = row.querySelector(".check-in-badge");
    if (badge && !badge.hidden) return;
    badge.hidden = false;
    badge.querySelector("time").textContent = entry.at;
    if (touched[entry.member]) return;
    var present = row.querySelector('input[type=radio][value="present"]');
    if (present && !present.checked) {
      present.checked = true;
      present.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  function poll() {
    fetch(sheet.dataset.checkInsUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        return response.ok ? response.json() : { check_ins: [] };
      })
      .then(function (data) {
        data.check_ins.forEach(mark);
      })
      .catch(function () {});
  }
  poll();
  setInterval(poll, 4000);
})();
