// Show the group meetings only when the session is held group by group.
(function () {
  "use strict";
  var section = document.getElementById("group-meetings");
  if (!section) return;
  var scope = document.getElementById(section.dataset.scopeField);
  if (!scope) return;
  function update() {
    section.hidden = scope.value !== "groups";
  }
  scope.addEventListener("change", update);
  update();
})();
