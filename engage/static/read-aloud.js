// Read the question, its hint and its answers aloud with the browser's own speech
// synthesis: nothing leaves the device, and the button stays hidden where there is none.
const button = document.querySelector(".engage-read-aloud");

function textOf(element) {
  return element ? element.textContent.replace(/\s+/g, " ").trim() : "";
}

function script(form) {
  const parts = [];
  form.querySelectorAll(".govuk-form-group").forEach((group) => {
    parts.push(textOf(group.querySelector(".engage-question__text")));
    parts.push(textOf(group.querySelector(".govuk-hint")));
    group.querySelectorAll(".engage-option__text").forEach((option) => parts.push(textOf(option)));
  });
  return parts.filter(Boolean).join(". ");
}

if (button && "speechSynthesis" in window && "SpeechSynthesisUtterance" in window) {
  button.hidden = false;
  button.addEventListener("click", () => {
    window.speechSynthesis.cancel();
    const utterance = new SpeechSynthesisUtterance(script(button.form || document));
    utterance.lang = document.documentElement.lang || "en-GB";
    utterance.rate = 0.9;
    window.speechSynthesis.speak(utterance);
  });
}
