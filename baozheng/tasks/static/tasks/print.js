// Buttons marked data-print print the page (inline handlers are barred by the CSP).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
