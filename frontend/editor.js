// A simple rich-text editor for "You said, we did" (Tiptap, bundled into our own build).
// Each <textarea data-rich-text> stays in the form and receives the editor's HTML on every
// change, so the server stores and cleans it (nh3) as before; without JavaScript the
// textarea is used as it is. No <style> is injected and no inline style written: the CSP
// allows only our own stylesheet.
import { Editor } from "@tiptap/core";
import StarterKit from "@tiptap/starter-kit";

const ALLOWED_LINK = /^(https?:\/\/|mailto:)\S+$/i;

function button(text) {
  const element = document.createElement("button");
  element.type = "button";
  element.className = "govuk-button govuk-button--secondary engage-editor__button";
  element.textContent = text;
  // A click keeps the focus and selection in the text, as in any word processor.
  element.addEventListener("mousedown", (event) => event.preventDefault());
  return element;
}

function linkPanel(id) {
  const panel = document.createElement("div");
  panel.className = "engage-editor__link";
  panel.hidden = true;
  panel.innerHTML = `
    <div class="govuk-form-group govuk-!-margin-bottom-3">
      <label class="govuk-label govuk-label--s" for="${id}-link">Link address</label>
      <div class="govuk-hint" id="${id}-link-hint">Starts with https://, http:// or mailto:</div>
      <p class="govuk-error-message govuk-!-display-none" id="${id}-link-error">
        <span class="govuk-visually-hidden">Error:</span>
        Enter a link that starts with https://, http:// or mailto:
      </p>
      <input class="govuk-input" id="${id}-link" type="text" spellcheck="false"
        autocomplete="url" aria-describedby="${id}-link-hint">
    </div>`;
  return panel;
}

function setUp(textarea) {
  const group = textarea.closest(".govuk-form-group") || textarea.parentElement;
  const label = group.querySelector(`label[for="${textarea.id}"]`);
  const hint = document.getElementById(`${textarea.id}-hint`);
  if (label && !label.id) label.id = `${textarea.id}-label`;
  if (hint && textarea.dataset.editorHint) hint.textContent = textarea.dataset.editorHint;

  const wrapper = document.createElement("div");
  wrapper.className = "engage-editor";
  const tools = document.createElement("div");
  tools.className = "engage-editor__tools";
  tools.setAttribute("role", "group");
  tools.setAttribute("aria-label", `Formatting: ${label ? label.textContent.trim() : ""}`);
  const bold = button("Bold");
  const bullets = button("Bulleted list");
  const numbers = button("Numbered list");
  const link = button("Link");
  tools.append(bold, bullets, numbers, link);
  const panel = linkPanel(textarea.id);
  const apply = button("Add link");
  const unlink = button("Remove link");
  const cancel = button("Cancel");
  const actions = document.createElement("div");
  actions.className = "govuk-button-group";
  actions.append(apply, unlink, cancel);
  panel.append(actions);
  const area = document.createElement("div");
  wrapper.append(tools, panel, area);
  textarea.after(wrapper);
  // GOV.UK's textarea class sets display, so the hidden attribute alone would not hide it.
  textarea.classList.add("govuk-!-display-none");

  const described = [textarea.getAttribute("aria-describedby")].filter(Boolean).join(" ");
  const invalid = textarea.classList.contains("govuk-textarea--error");
  const editor = new Editor({
    element: area,
    injectCSS: false,
    content: textarea.value,
    extensions: [
      StarterKit.configure({
        heading: false,
        blockquote: false,
        code: false,
        codeBlock: false,
        horizontalRule: false,
        strike: false,
        underline: false,
        hardBreak: false,
        dropcursor: false,
        trailingNode: false,
        link: {
          openOnClick: false,
          autolink: false,
          protocols: ["mailto"],
          HTMLAttributes: { target: null, rel: null, class: null },
          isAllowedUri: (url) => ALLOWED_LINK.test(url),
        },
      }),
    ],
    editorProps: {
      attributes: {
        class: `engage-editor__area${invalid ? " engage-editor__area--error" : ""}`,
        role: "textbox",
        "aria-multiline": "true",
        ...(label ? { "aria-labelledby": label.id } : {}),
        ...(described ? { "aria-describedby": described } : {}),
      },
    },
    onUpdate: ({ editor: changed }) => {
      textarea.value = changed.isEmpty ? "" : changed.getHTML();
    },
  });

  const press = (element, on) => element.setAttribute("aria-pressed", on ? "true" : "false");
  const refresh = () => {
    press(bold, editor.isActive("bold"));
    press(bullets, editor.isActive("bulletList"));
    press(numbers, editor.isActive("orderedList"));
    press(link, editor.isActive("link"));
  };
  editor.on("selectionUpdate", refresh);
  editor.on("transaction", refresh);
  refresh();

  bold.addEventListener("click", () => editor.chain().focus().toggleBold().run());
  bullets.addEventListener("click", () => editor.chain().focus().toggleBulletList().run());
  numbers.addEventListener("click", () => editor.chain().focus().toggleOrderedList().run());
  if (label) label.addEventListener("click", () => editor.commands.focus());

  const input = panel.querySelector("input");
  const error = panel.querySelector(".govuk-error-message");
  const showError = (on) => {
    error.classList.toggle("govuk-!-display-none", !on);
    panel.querySelector(".govuk-form-group").classList.toggle("govuk-form-group--error", on);
    input.classList.toggle("govuk-input--error", on);
    input.setAttribute(
      "aria-describedby",
      on ? `${textarea.id}-link-hint ${textarea.id}-link-error` : `${textarea.id}-link-hint`,
    );
  };
  const closePanel = () => {
    panel.hidden = true;
    showError(false);
    editor.commands.focus();
  };
  link.addEventListener("click", () => {
    input.value = editor.getAttributes("link").href || "";
    unlink.classList.toggle("govuk-!-display-none", !editor.isActive("link"));
    panel.hidden = false;
    input.focus();
  });
  const addLink = () => {
    const href = input.value.trim();
    if (!ALLOWED_LINK.test(href)) {
      showError(true);
      input.focus();
      return;
    }
    editor.chain().focus().extendMarkRange("link").setLink({ href }).run();
    closePanel();
  };
  apply.addEventListener("click", addLink);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      addLink();
    } else if (event.key === "Escape") {
      closePanel();
    }
  });
  unlink.addEventListener("click", () => {
    editor.chain().focus().extendMarkRange("link").unsetLink().run();
    closePanel();
  });
  cancel.addEventListener("click", closePanel);
}

document.querySelectorAll("textarea[data-rich-text]").forEach(setUp);
