// A form with data-confirm="…" asks before it is sent: deleting a photo or a
// document is a tap that cannot be undone.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var message = event.target.dataset && event.target.dataset.confirm;
    if (message && !window.confirm(message)) event.preventDefault();
  });
})();
