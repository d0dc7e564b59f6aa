/* The portal's certificate verifier (/portal/verify): the camera reads a QR code and its text
 * goes into the page's field, then the Verify button is pressed for the citizen.
 *
 * Loaded on every page (Dash adds assets/*.js), so it only listens for clicks on the verify
 * page's camera button. The QR reader (html5-qrcode, Apache-2.0, vendored under
 * assets/vendor/, not loaded by Dash) is fetched from this origin on the first press: the
 * Content-Security-Policy allows 'self' scripts only, and the library needs no eval.
 * The camera is allowed (Permissions-Policy camera=(self)) on the document of /portal/verify
 * only; a visitor who came from another portal page through the in-app links has a document
 * whose policy forbids it, so the page is loaded afresh and the camera started there. */
(function () {
  "use strict";
  var IDS = {
    scan: "portal-verify-scan",
    reader: "portal-verify-reader",
    note: "portal-verify-camera-note",
    input: "portal-verify-input",
    submit: "portal-verify-submit"
  };
  var RESTART = "vx-verify-camera";
  var scanner = null;

  function libraryUrl() {
    var own = document.querySelector('script[src*="portal_verify.js"]');
    var base = own ? own.src.split("portal_verify.js")[0] : "/portal/assets/";
    return base + "vendor/html5-qrcode/html5-qrcode.min.js";
  }

  function say(which) {
    // The messages are labels of the page (translated with it); show the one that applies.
    var note = document.getElementById(IDS.note);
    if (!note) { return; }
    Array.prototype.forEach.call(note.querySelectorAll("[data-note]"), function (el) {
      el.hidden = el.getAttribute("data-note") !== which;
    });
  }

  function cameraAllowed() {
    var policy = document.permissionsPolicy || document.featurePolicy;
    return !policy || typeof policy.allowsFeature !== "function" ||
      policy.allowsFeature("camera");
  }

  function loadLibrary(done) {
    if (window.Html5Qrcode) { done(); return; }
    var tag = document.createElement("script");
    tag.src = libraryUrl();
    tag.onload = done;
    tag.onerror = function () { say("unavailable"); };
    document.head.appendChild(tag);
  }

  function fill(text) {
    var input = document.getElementById(IDS.input);
    if (!input) { return; }
    // React keeps its own copy of the value: set it through the native setter, then tell it.
    var setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
    setter.call(input, text);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    window.setTimeout(function () {
      var button = document.getElementById(IDS.submit);
      if (button) { button.click(); }
    }, 50);
  }

  function stop() {
    var running = scanner;
    scanner = null;
    if (running) {
      running.stop().then(function () { running.clear(); }, function () {});
    }
  }

  function start() {
    if (!window.isSecureContext || !navigator.mediaDevices) { say("unavailable"); return; }
    if (!cameraAllowed()) {
      window.sessionStorage.setItem(RESTART, "1");
      window.location.reload();
      return;
    }
    say("starting");
    loadLibrary(function () {
      var Reader = window.Html5Qrcode;
      if (!Reader || !document.getElementById(IDS.reader)) { say("unavailable"); return; }
      scanner = new Reader(IDS.reader, { verbose: false,
        experimentalFeatures: { useBarCodeDetectorIfSupported: true } });
      // A certificate's QR is dense (about 97 modules): scan most of the picture, not a small
      // box in its middle, so it can be read from a little further away.
      var box = function (w, h) {
        var side = Math.max(Math.floor(Math.min(w, h) * 0.85), 50);
        return { width: side, height: side };
      };
      scanner.start({ facingMode: "environment" }, { fps: 10, qrbox: box },
        function (text) { stop(); say("read"); fill(text); },
        function () { /* no code in this frame yet */ }
      ).then(function () { say("scanning"); }, function (error) {
        scanner = null;
        say(String(error).indexOf("NotAllowed") >= 0 ? "denied" : "unavailable");
      });
    });
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element) || !target.closest("#" + IDS.scan)) { return; }
    if (scanner) { stop(); say("stopped"); } else { start(); }
  });

  // After the reload above: start the camera once the page's button is there.
  if (window.sessionStorage.getItem(RESTART)) {
    window.sessionStorage.removeItem(RESTART);
    var tries = 0;
    var wait = window.setInterval(function () {
      tries += 1;
      if (document.getElementById(IDS.scan)) { window.clearInterval(wait); start(); }
      if (tries > 50) { window.clearInterval(wait); }
    }, 100);
  }
})();
