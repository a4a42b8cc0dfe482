/* global document, window */
// The portal's one script, small on purpose: pages work without it. It shows print buttons
// (rendered hidden, since without a script they could do nothing) and makes them print.
for (const button of document.querySelectorAll('button[data-print]')) {
  button.hidden = false;
  button.addEventListener('click', () => window.print());
}
