// "Copy" buttons next to read-only fields (shown only where the browser can copy).
(function () {
  "use strict";
  if (!navigator.clipboard) return;
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copy);
    if (!field) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        button.classList.replace("btn-outline-success", "btn-success");
      });
    });
  });
})();
