// A question with data-show-if is shown only after the given answer to the earlier question.
// Without JavaScript every question shows with its hint, and the server ignores hidden answers.
"use strict";

(() => {
  const form = document.querySelector(".survey-form");
  if (!form) return;
  const dependants = Array.from(form.querySelectorAll("[data-show-if]"));
  const answered = (questionId) =>
    Array.from(form.querySelectorAll(`[name="q${questionId}"]`))
      .filter((input) => (input.type === "radio" || input.type === "checkbox" ? input.checked : input.value))
      .map((input) => input.value);
  const update = () => {
    for (const fieldset of dependants) {
      const parent = form.querySelector(`[data-question="${fieldset.dataset.showIf}"]`);
      const visible = parent && !parent.hidden && answered(fieldset.dataset.showIf).includes(fieldset.dataset.showIfValue);
      fieldset.hidden = !visible;
    }
  };
  form.addEventListener("change", update);
  update();
})();
