// Display preferences: show the effect of each choice at once, before it is saved. Saving
// still posts the form, so everything works without JavaScript.
const classes = {
  larger_text: "engage-text-larger",
  high_contrast: "engage-high-contrast",
};

for (const box of document.querySelectorAll('input[name="preferences"]')) {
  const name = classes[box.value];
  if (!name) continue;
  box.addEventListener("change", () => {
    document.body.classList.toggle(name, box.checked);
  });
}
