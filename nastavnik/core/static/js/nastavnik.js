// Nastavnik's own behaviour for every page. The Content Security Policy forbids inline scripts
// and on…= attributes, so pages mark elements with data- attributes and this file acts on them.
"use strict";

// <select data-autosubmit> sends its form as soon as a value is chosen (filters above lists).
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLElement && field.matches("[data-autosubmit]") && field.form) {
    field.form.requestSubmit();
  }
});

// <button data-confirm="…"> asks before an action that cannot be undone.
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element ? event.target.closest("[data-confirm]") : null;
  if (button && !window.confirm(button.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});
