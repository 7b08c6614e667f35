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

// A table too wide for the screen scrolls inside its .table-wrap box; a box that scrolls can be
// reached and scrolled from the keyboard (WCAG 2.1.1), named after its table's caption or the
// heading before it. Checked on load, after htmx swaps content in, and when the window resizes.
function markScrollableTables(root) {
  const scope = root instanceof Element || root instanceof Document ? root : document;
  for (const box of scope.querySelectorAll(".table-wrap")) {
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
      box.dataset.scrollable = "";
      const caption = box.querySelector("caption");
      let heading = box.previousElementSibling;
      while (heading && !/^H[1-6]$/.test(heading.tagName)) {
        heading = heading.previousElementSibling;
      }
      const name = (caption || heading)?.textContent.trim();
      if (name && !box.hasAttribute("aria-label") && !box.hasAttribute("role")) {
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", name);
        box.dataset.scrollable = "named";
      }
    } else if (!scrolls && "scrollable" in box.dataset) {
      box.removeAttribute("tabindex");
      if (box.dataset.scrollable === "named") {
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
      delete box.dataset.scrollable;
    }
  }
}

document.addEventListener("DOMContentLoaded", () => markScrollableTables(document));
document.addEventListener("htmx:afterSettle", (event) => markScrollableTables(event.target));
window.addEventListener("resize", () => markScrollableTables(document));
