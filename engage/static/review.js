// Keyboard shortcuts for the review screen: off until the reviewer turns them on (WCAG 2.2
// SC 2.1.4, character key shortcuts), remembered in this browser only, and ignored while typing.
const form = document.getElementById("review-form");
const holder = document.getElementById("shortcut-toggle");
const KEY = "engage-review-shortcuts";

function stored() {
  try {
    return window.localStorage.getItem(KEY) === "on";
  } catch {
    return false;
  }
}

function store(on) {
  try {
    window.localStorage.setItem(KEY, on ? "on" : "off");
  } catch {
    // Private browsing: the choice lasts for this page only.
  }
}

if (form && holder) {
  holder.innerHTML = `
    <div class="govuk-checkboxes govuk-checkboxes--small govuk-!-margin-bottom-4">
      <div class="govuk-checkboxes__item">
        <input class="govuk-checkboxes__input" id="use-shortcuts" type="checkbox">
        <label class="govuk-label govuk-checkboxes__label" for="use-shortcuts">Use keyboard shortcuts</label>
      </div>
    </div>`;
  const toggle = document.getElementById("use-shortcuts");
  toggle.checked = stored();
  toggle.addEventListener("change", () => store(toggle.checked));

  const sentiment = { p: "positive", u: "neutral", n: "negative" };
  document.addEventListener("keydown", (event) => {
    if (!toggle.checked || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target.closest("textarea, select") || (target.tagName === "INPUT" && target.type === "text")) return;
    const key = event.key.toLowerCase();
    if (/^[1-9]$/.test(key)) {
      const box = form.querySelector(`input[data-shortcut="${key}"]`);
      if (box) {
        box.checked = !box.checked;
        box.focus();
        event.preventDefault();
      }
    } else if (key in sentiment) {
      const radio = form.querySelector(`input[name="sentiment"][value="${sentiment[key]}"]`);
      if (radio) {
        radio.checked = true;
        radio.focus();
        event.preventDefault();
      }
    } else if (key === "s") {
      event.preventDefault();
      form.requestSubmit();
    } else if (key === "k") {
      const skip = document.getElementById("skip-link");
      if (skip) {
        event.preventDefault();
        window.location.assign(skip.href);
      }
    }
  });
}
