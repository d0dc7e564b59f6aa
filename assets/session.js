// When the server ends the session (idle or absolute timeout, account deactivated), Dash's
// requests get a 401: send the browser to the sign-in page instead of showing stale figures.
(function () {
  "use strict";
  const nativeFetch = window.fetch.bind(window);
  let leaving = false;
  // A form sent (signing out) leaves the page: a callback refused meanwhile, its session just
  // ended, must not replace the signed-out page with "session expired".
  document.addEventListener("submit", function () { leaving = true; }, true);
  window.fetch = async function (input, init) {
    const response = await nativeFetch(input, init);
    const url = typeof input === "string" ? input : (input && input.url) || "";
    if (response.status === 401 && url.indexOf("/_dash-") !== -1 && !leaving) {
      leaving = true;
      const next = window.location.pathname + window.location.search;
      window.location.assign("/login?reason=expired&next=" + encodeURIComponent(next));
    }
    return response;
  };
})();
