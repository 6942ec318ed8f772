// Judge's score sheet: live total, and a submit that survives a flaky phone network.
// The idempotency key in the form makes every retry safe: the server stores the sheet once.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form[data-score-form]");
  if (!form) { return; }
  var totalEl = form.querySelector("[data-total]");
  var button = form.querySelector("button[type=submit]");
  function updateTotal() {
    var sum = 0;
    form.querySelectorAll("input[type=number]").forEach(function (input) {
      var v = parseFloat(input.value);
      if (!isNaN(v)) { sum += v; }
    });
    totalEl.textContent = (Math.round(sum * 10) / 10).toString();
  }
  form.addEventListener("input", updateTotal);
  updateTotal();
  function attempt(n) {
    fetch(form.action || window.location.href,
          { method: "POST", body: new FormData(form), credentials: "same-origin", redirect: "manual" })
      .then(function (response) {
        // Stored: the server answers with a redirect; go to the session list, which confirms the sheet.
        if (response.type === "opaqueredirect") { window.location.href = form.getAttribute("data-done-url"); }
        else { form.submit(); }  // refused: post again to show the reason (same key: stored at most once)
      })
      .catch(function () {
        if (n < 4) { button.textContent = "网络不稳，正在重试（" + (n + 1) + "）…"; setTimeout(function () { attempt(n + 1); }, 600 * (n + 1)); }
        else { button.disabled = false; button.textContent = "提交失败，请检查网络后再试"; }
      });
  }
  form.addEventListener("submit", function (event) {
    if (event.defaultPrevented) { return; }
    event.preventDefault();
    button.disabled = true;
    button.textContent = "提交中…";
    attempt(0);
  });
});
