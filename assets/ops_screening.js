// The screening desk by keyboard (pages/ops/screening.py, callbacks/ops/screening.py).
// Queue: arrows move (a radio group), digits pick the arrival number, Enter opens.
// Checklist: C or Y answers Có, K or N answers Không, then the next question takes the focus;
// Enter anywhere in the form saves. The server tells where the focus goes next
// (ops-screening-focus), screeningFocus puts it there.
(function () {
  "use strict";
  const QUEUE = "ops-screening-queue";
  const FORM = "ops-screening-form";
  const YES_KEYS = ["c", "y"];
  const NO_KEYS = ["k", "n"];
  let typed = "";
  let typedAt = 0;

  function queueRadios() {
    const queue = document.getElementById(QUEUE);
    return queue ? Array.from(queue.querySelectorAll("input[type=radio]")) : [];
  }

  function focusQueue() {
    const radios = queueRadios();
    const target = radios.find((r) => r.checked) || radios[0] ||
      document.getElementById("ops-screening-refresh");
    if (target) target.focus();
  }

  function focusForm() {
    const first = document.querySelector("#" + FORM + " .ops-screen-item input[type=radio]");
    if (first) first.focus();
  }

  function pickNumber(number) {
    const label = document.querySelector("#" + QUEUE + " [data-number='" + number + "']");
    const option = label && label.closest("label");
    const radio = option && option.querySelector("input[type=radio]");
    if (radio) {
      radio.click();
      radio.focus();
    }
  }

  function nextAfter(item) {
    let next = item.nextElementSibling;
    while (next && !next.classList.contains("ops-screen-item")) next = next.nextElementSibling;
    const target = next ? next.querySelector("input[type=radio]")
      : document.querySelector("#" + FORM + " .ops-screen-vitals input");
    if (target) target.focus();
  }

  document.addEventListener("keydown", function (event) {
    const target = event.target;
    if (!(target instanceof HTMLElement) || event.ctrlKey || event.altKey || event.metaKey) {
      return;
    }
    if (target.closest("#" + QUEUE)) {
      if (event.key === "Enter") {
        event.preventDefault();
        const open = document.getElementById("ops-screening-open");
        if (open) open.click();
      } else if (/^[0-9]$/.test(event.key)) {
        event.preventDefault();
        const now = Date.now();
        typed = (now - typedAt < 1200 ? typed : "") + event.key;
        typedAt = now;
        pickNumber(String(Number(typed)));
      }
      return;
    }
    if (!target.closest("#" + FORM)) return;
    const item = target.closest(".ops-screen-item");
    const key = event.key.toLowerCase();
    if (item && (YES_KEYS.includes(key) || NO_KEYS.includes(key))) {
      event.preventDefault();
      const radios = item.querySelectorAll("input[type=radio]");
      const radio = radios[YES_KEYS.includes(key) ? 0 : 1];
      if (radio) radio.click();
      nextAfter(item);
    } else if (event.key === "Enter" && target.tagName !== "BUTTON") {
      event.preventDefault();
      const save = document.getElementById("ops-screening-save");
      if (save) save.click();
    }
  });

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    vx: Object.assign({}, (window.dash_clientside || {}).vx, {
      screeningFocus: function (focus) {
        if (focus && focus.to) {
          // After Dash has drawn what the same response changed.
          window.setTimeout(function () {
            if (focus.to === "form") focusForm();
            else if (focus.to === "queue") focusQueue();
            else {
              const field = document.getElementById(focus.to);
              if (field) field.focus();
            }
          }, 80);
        }
        return window.dash_clientside.no_update;
      },
    }),
  });
})();
