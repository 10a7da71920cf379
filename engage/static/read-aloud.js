// Read the question, its hint and its answers aloud with the browser's own speech
// synthesis: nothing leaves the device. Everything marked data-read-aloud stays hidden
// unless the browser has a voice for the page's language: a button that stays silent
// would only confuse.
const synth = window.speechSynthesis;
const marked = document.querySelectorAll("[data-read-aloud]");

// English pages are read in British English (the voice a Northmoor child expects).
function pageLang() {
  const lang = (document.documentElement.lang || "").trim();
  return !lang || /^en\b/i.test(lang) ? "en-GB" : lang;
}

function normalised(lang) {
  return (lang || "").replace("_", "-").toLowerCase();
}

// The exact language and region first (en-GB), then any voice of the same language.
function chooseVoice(voices, lang) {
  const wanted = normalised(lang);
  const primary = wanted.split("-")[0];
  return (
    voices.find((voice) => normalised(voice.lang) === wanted) ||
    voices.find((voice) => normalised(voice.lang).split("-")[0] === primary) ||
    null
  );
}

// Words only: no markup, emoji, symbols or punctuation names read out.
function clean(text) {
  return text
    .replace(/<[^>]*>/g, " ")
    .replace(/&(?:[a-z]+|#\d+);/gi, " ")
    .replace(/https?:\/\/\S+/gi, " ")
    .replace(/(\p{L})\/(\p{L})/gu, "$1 or $2")
    .replace(/&/g, " and ")
    .replace(/…|\.{2,}/g, ".")
    .replace(/\s[-–—]+\s|[–—]/g, ", ")
    .replace(/[()[\]{}]/g, ", ")
    .replace(/(^|[^\p{L}])['‘’"“”]+|['‘’"“”]+(?=[^\p{L}]|$)/gu, "$1")
    .replace(/[\p{Extended_Pictographic}\p{So}\p{Sm}\p{Sk}\p{Co}\u200d\ufe0f*_#|\\~•·]/gu, " ")
    .replace(/\s+/g, " ")
    .replace(/\s+([,.;:?!])/g, "$1")
    .replace(/([,;:])(?:\s*[,;:])+/g, "$1")
    .replace(/[,;:]+\s*([.?!])/g, "$1")
    .replace(/([.?!])[.?!,;:]+/g, "$1")
    .replace(/^[\s,;:.]+/, "")
    .trim();
}

// Each part a sentence of its own, ending in a full stop unless it asks or exclaims.
function sentence(text) {
  const words = clean(text).replace(/[,;:]+$/, "");
  if (!words) return "";
  return /[.?!]$/.test(words) ? words : `${words}.`;
}

function textOf(element) {
  return element ? element.textContent : "";
}

function sentences(form) {
  const parts = [];
  form.querySelectorAll(".govuk-form-group").forEach((group) => {
    parts.push(textOf(group.querySelector(".engage-question__text")));
    parts.push(textOf(group.querySelector(":scope > .govuk-hint, :scope > fieldset > .govuk-hint")));
    group.querySelectorAll(".engage-option__text").forEach((option) => parts.push(textOf(option)));
  });
  return parts.map(sentence).filter(Boolean);
}

function read(form) {
  synth.cancel();
  const lang = pageLang();
  const voice = chooseVoice(synth.getVoices(), lang);
  // One utterance a sentence: short pauses between them, and long questions are not cut off.
  sentences(form).forEach((text) => {
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = lang;
    if (voice) utterance.voice = voice;
    utterance.rate = 0.9;
    synth.speak(utterance);
  });
}

let shown = false;

function showIfVoices() {
  if (shown || !chooseVoice(synth.getVoices() || [], pageLang())) return;
  shown = true;
  marked.forEach((element) => {
    element.hidden = false;
  });
  document.querySelectorAll(".engage-read-aloud__start").forEach((button) => {
    button.addEventListener("click", () => read(button.form || document));
  });
  document.querySelectorAll(".engage-read-aloud__stop").forEach((button) => {
    button.addEventListener("click", () => synth.cancel());
  });
}

if (marked.length && synth && "SpeechSynthesisUtterance" in window) {
  showIfVoices();
  // Chromium lists its voices only after a first "voiceschanged".
  if (!shown && typeof synth.addEventListener === "function") {
    synth.addEventListener("voiceschanged", showIfVoices);
  }
  // Leaving the page stops reading.
  window.addEventListener("pagehide", () => synth.cancel());
}
