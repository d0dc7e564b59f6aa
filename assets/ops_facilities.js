// Facility management by keyboard (pages/ops/facilities.py, callbacks/ops/facilities.py).
// A status step hides the button just pressed (approved: no "Approve" any more), which
// would leave the focus on <body>: it goes back to the facility in the list instead (or to
// the status filter when the list emptied), from where the arrows pick the next one.
(function () {
  "use strict";
  const LIST = "ops-fac-list";

  function lost() {
    const active = document.activeElement;
    return !active || active === document.body || active.offsetParent === null;
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    vx: Object.assign({}, (window.dash_clientside || {}).vx, {
      facilitiesFocus: function (status) {
        if (status) {
          // After Dash has drawn what the same response changed.
          window.setTimeout(function () {
            if (!lost()) return;
            const list = document.getElementById(LIST);
            const radios = list ? Array.from(list.querySelectorAll("input[type=radio]")) : [];
            const target = radios.find((r) => r.checked) || radios[0] ||
              document.getElementById("ops-fac-filter")?.querySelector("input:checked");
            if (target) target.focus();
          }, 120);
        }
        return window.dash_clientside.no_update;
      },
    }),
  });
})();
