// Injection desk: Enter anywhere in the dose form records the dose (radio lists do not submit
// on Enter by themselves). The button itself is left to the browser, so one press is one click.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.isComposing) {
      return;
    }
    const target = event.target;
    const form = target && target.closest ? target.closest("#ops-injection-form") : null;
    if (!form || target.tagName === "BUTTON" || target.tagName === "TEXTAREA") {
      return;
    }
    const submit = document.getElementById("ops-injection-submit");
    if (submit) {
      event.preventDefault();
      submit.click();
    }
  });
})();
