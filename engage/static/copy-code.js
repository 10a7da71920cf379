// A button to copy a receipt or resume code. Without script or a clipboard it stays hidden:
// the code is on the page to write down, and nothing else depends on this.
document.querySelectorAll("[data-module='engage-copy']").forEach((button) => {
  if (!navigator.clipboard || !window.isSecureContext) {
    return;
  }
  const code = document.getElementById(button.dataset.copy);
  const status = document.getElementById(`${button.dataset.copy}-status`);
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(code.textContent.trim());
      status.textContent = button.dataset.copied;
    } catch {
      status.textContent = button.dataset.failed;
    }
  });
});
