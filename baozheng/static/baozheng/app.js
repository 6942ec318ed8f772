// Baozheng page behaviour shared by every page. No inline scripts (the CSP forbids them).
document.addEventListener("DOMContentLoaded", function () {
  // <form data-autosubmit>: submit when a select or input changes (period pickers, filters).
  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    form.addEventListener("change", function () { form.requestSubmit ? form.requestSubmit() : form.submit(); });
  });
  // <button data-confirm="...">: ask before a destructive or irreversible action.
  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
  });
});
